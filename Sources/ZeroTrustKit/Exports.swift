// The umbrella: `import ZeroTrustKit` gives a service every public module it needs to call the
// gatekeeper and to configure its parts.
@_exported public import ZeroTrustCrypto
@_exported public import ZeroTrustIdentity
@_exported public import ZeroTrustPolicy
@_exported public import ZeroTrustEnvelope
@_exported public import ZeroTrustMonitoring
