internal import CZeroTrustShims

extension RSA.PrivateKey {
    /// The CRT components of an RSA private key, big-endian (RFC 8017 §3.2; the JWK `d`, `p`, `q`,
    /// `dp`, `dq`, `qi` members of RFC 7518 §6.3.2).
    public struct Components: Sendable {
        /// The modulus n.
        public let modulus: [UInt8]
        /// The public exponent e.
        public let publicExponent: [UInt8]
        /// The private exponent d.
        public let privateExponent: SecureBytes
        /// The first prime p.
        public let prime1: SecureBytes
        /// The second prime q.
        public let prime2: SecureBytes
        /// d mod (p − 1).
        public let exponent1: SecureBytes
        /// d mod (q − 1).
        public let exponent2: SecureBytes
        /// q⁻¹ mod p.
        public let coefficient: SecureBytes

        /// Assembles components.
        public init(modulus: [UInt8], publicExponent: [UInt8], privateExponent: SecureBytes, prime1: SecureBytes,
                    prime2: SecureBytes, exponent1: SecureBytes, exponent2: SecureBytes, coefficient: SecureBytes) {
            self.modulus = modulus
            self.publicExponent = publicExponent
            self.privateExponent = privateExponent
            self.prime1 = prime1
            self.prime2 = prime2
            self.exponent1 = exponent1
            self.exponent2 = exponent2
            self.coefficient = coefficient
        }
    }

    /// A key from its components; OpenSSL checks that they are consistent (pairwise check).
    public init(components c: Components) throws {
        let pkey: OpaquePointer? = c.modulus.withUnsafeBytes { n in
            c.publicExponent.withUnsafeBytes { e in
                c.privateExponent.withUnsafeBytes { d in
                    c.prime1.withUnsafeBytes { p in
                        c.prime2.withUnsafeBytes { q in
                            c.exponent1.withUnsafeBytes { dp in
                                c.exponent2.withUnsafeBytes { dq in
                                    c.coefficient.withUnsafeBytes { qi in
                                        OpenSSLErrorQueue.clear()
                                        return zt_rsa_from_components(
                                            n.baseAddress, n.count, e.baseAddress, e.count, d.baseAddress, d.count,
                                            p.baseAddress, p.count, q.baseAddress, q.count, dp.baseAddress, dp.count,
                                            dq.baseAddress, dq.count, qi.baseAddress, qi.count)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        guard let pkey else { throw CryptoError.openSSL(.invalidKey, "inconsistent or invalid RSA private key components") }
        try self.init(checked: EVPKey(taking: pkey))
    }

    /// The key's components.
    public var components: Components {
        get throws {
            Components(
                modulus: try key.bigNumber("n").withUnsafeBytes { Array($0) },
                publicExponent: try key.bigNumber("e").withUnsafeBytes { Array($0) },
                privateExponent: try key.bigNumber("d"),
                prime1: try key.bigNumber("rsa-factor1"),
                prime2: try key.bigNumber("rsa-factor2"),
                exponent1: try key.bigNumber("rsa-exponent1"),
                exponent2: try key.bigNumber("rsa-exponent2"),
                coefficient: try key.bigNumber("rsa-coefficient1"))
        }
    }
}
