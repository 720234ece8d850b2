#!/bin/bash
# One benchmark sitting: the CryptoBenchmarks suite, then `openssl speed` and the C floors, one
# after the other on an otherwise idle machine. Results go to OUT (default /tmp/zt-sitting).
# Summarise one or more sittings with: python3 Benchmarks/Baselines/summarize.py OUT [OUT2 ...]
# Run from the repository root. Needs openssl, cc, libssl-dev and libsodium-dev.
set -eu
OUT=${1:-/tmp/zt-sitting}
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$OUT/jmh"
cc -O2 -o "$OUT/aead_hmac_floor" "$HERE/aead_hmac_floor.c" -lcrypto -lsodium
cc -O2 -o "$OUT/signature_floor" "$HERE/signature_floor.c" -lcrypto
swift package --package-path Benchmarks --allow-writing-to-directory "$OUT/jmh" \
    benchmark --target CryptoBenchmarks --no-progress --format jmh --path "$OUT/jmh"
cd "$OUT"
for c in aes-256-gcm chacha20-poly1305; do
    openssl speed -seconds 2 -evp $c > $c.enc.txt 2>&1
    openssl speed -seconds 2 -decrypt -evp $c > $c.dec.txt 2>&1
    openssl speed -seconds 2 -bytes 1048576 -evp $c > $c.1m.txt 2>&1
    openssl speed -seconds 2 -bytes 1048576 -decrypt -evp $c > $c.1m.dec.txt 2>&1
done
openssl speed -seconds 2 -aead -evp aes-256-gcm > aes-256-gcm.aead.txt 2>&1
openssl speed -seconds 2 -hmac sha256 > hmac.txt 2>&1
openssl speed -seconds 2 ecdsap256 ed25519 rsa2048 > sig.txt 2>&1
./aead_hmac_floor 1 > floor.txt
./signature_floor 1 > sigfloor.txt
echo "sitting written to $OUT"
