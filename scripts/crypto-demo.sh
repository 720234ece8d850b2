#!/usr/bin/env bash
# A short walk through the crypto layer with `zt`: generate keys, seal and open a message, sign and
# verify, and show that tampering is caught. Exits non-zero if any step does not behave as narrated.
set -euo pipefail

ZT=${ZT:-.build/debug/zt}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

bold=""; reset=""
if [[ -t 1 ]]; then bold=$'\e[1m'; reset=$'\e[0m'; fi
step() { printf '\n%s== %s%s\n' "$bold" "$1" "$reset"; }
fail() { echo "demo: FAILED: $1" >&2; exit 1; }
# Runs a command that must be refused with exit 1 (a verdict), not succeed or fail to run (2).
expect_refused() {
    local status=0
    "$@" || status=$?
    [[ $status -eq 1 ]] || fail "expected exit 1 (refused) from: $*; got $status"
}

step "Versions"
"$ZT" version

step "Generate an AES-256-GCM data key and an Ed25519 signing key (files are mode 0600)"
"$ZT" crypto keygen --type aes-256-gcm --out "$work/data.key"
"$ZT" crypto keygen --type ed25519 --out "$work/signer.pem" --public-out "$work/signer.pub.pem"
ls -l "$work" | sed 's/^/  /'

step "Seal a training record bound to its dataset id, then open it"
printf 'patient_id,label\n1042,positive\n' > "$work/record.csv"
"$ZT" crypto seal --key "$work/data.key" --aad "dataset=ds-1" "$work/record.csv" "$work/record.sealed"
echo "  sealed: $(wc -c < "$work/record.sealed") bytes (12-byte nonce + ciphertext + 16-byte tag)"
"$ZT" crypto open --key "$work/data.key" --aad "dataset=ds-1" "$work/record.sealed" "$work/record.out"
cmp -s "$work/record.csv" "$work/record.out" || fail "opened data differs from the original"
echo "  opened: identical to the original"

step "Open it claiming another dataset: refused, nothing written"
expect_refused "$ZT" crypto open --key "$work/data.key" --aad "dataset=ds-2" "$work/record.sealed" "$work/wrong.out"
[[ ! -e "$work/wrong.out" ]] || fail "output written despite failed authentication"
echo "  refused (exit 1), no output file"

step "Sign a model file and verify the signature"
head -c 4096 /dev/urandom > "$work/model.bin"
signature=$("$ZT" crypto sign --key "$work/signer.pem" "$work/model.bin")
echo "  signature: ${signature:0:32}…"
"$ZT" crypto verify --public-key "$work/signer.pub.pem" --signature="$signature" "$work/model.bin"

step "Flip one byte of the model: the signature no longer verifies"
printf '\x00' | dd of="$work/model.bin" bs=1 seek=100 conv=notrunc status=none
expect_refused "$ZT" crypto verify --public-key "$work/signer.pub.pem" --signature="$signature" "$work/model.bin"

printf '\n%sDemo finished: every step behaved as narrated.%s\n' "$bold" "$reset"
