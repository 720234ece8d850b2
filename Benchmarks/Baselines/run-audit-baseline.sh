#!/usr/bin/env bash
# Builds and runs the C baseline of AuditBenchmarks' chained append (keyed and unkeyed), then the
# Swift suite, so both are measured in the same sitting. From the repository root:
#     bash Benchmarks/Baselines/run-audit-baseline.sh [events]
set -euo pipefail
cd "$(dirname "$0")"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cc -O2 -o "$out/audit_append" audit_append.c $(pkg-config --cflags --libs libcrypto)
events=${1:-1000000}
"$out/audit_append" "$events" 1
"$out/audit_append" "$events" 0
if [[ "${SKIP_SWIFT:-0}" != 1 ]]; then
    swift package --package-path .. benchmark --target AuditBenchmarks --scale
fi
