#!/usr/bin/env bash
# Builds a DocC archive for every public module into .build/docs/<Module>.doccarchive, using the
# toolchain's docc with symbol graphs from the compiler (no extra package dependency).
set -euo pipefail
modules=(ZeroTrustCrypto ZeroTrustIdentity ZeroTrustPolicy ZeroTrustEnvelope ZeroTrustMonitoring ZeroTrustKit ZeroTrustKitTesting)
graphs=.build/symbol-graphs
# Keep the graphs between runs: swift build emits a module's graph only when it recompiles the
# module, so deleting them would leave up-to-date modules without symbols on a second run.
mkdir -p "$graphs" .build/docs
for module in "${modules[@]}"; do
    swift build --target "$module" -Xswiftc -emit-symbol-graph -Xswiftc -emit-symbol-graph-dir -Xswiftc "$graphs" >/dev/null
done
docc=$(xcrun --find docc 2>/dev/null || command -v docc)
for module in "${modules[@]}"; do
    mkdir -p "$graphs/$module"
    cp "$graphs/$module".symbols.json "$graphs/$module"/ 2>/dev/null || true
    cp "$graphs/$module"@*.symbols.json "$graphs/$module"/ 2>/dev/null || true
    "$docc" convert "Sources/$module/$module.docc" \
        --additional-symbol-graph-dir "$graphs/$module" \
        --fallback-display-name "$module" --fallback-bundle-identifier "org.zerotrustkit.$module" \
        --output-path ".build/docs/$module.doccarchive" >/dev/null
    echo "docs: .build/docs/$module.doccarchive"
done
