#!/usr/bin/env bash
# Measures AuditBenchmarks' chained append against the C baseline (audit_append.c) in the same
# sitting and prints the ratio. Each round runs C (keyed, unkeyed; fsync every 1,000 events, then
# fsync never) and then the Swift append benchmarks back to back, so a disturbance on a shared
# machine hits both sides of one round; audit_ratio.py prints every round's ratio and the median
# over rounds. "fsync never" is the CPU-bound comparison, free of the disk's variance. From the
# repository root:
#     bash Benchmarks/Baselines/run-audit-baseline.sh [events] [rounds]
#     SKIP_SWIFT=1 bash Benchmarks/Baselines/run-audit-baseline.sh 200000     # C only, no ratio
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cc -O2 -o "$out/audit_append" "$here/audit_append.c" $(pkg-config --cflags --libs libcrypto)
events=${1:-1000000}
rounds=${2:-3}
for round in $(seq 1 "$rounds"); do
    mkdir -p "$out/$round"
    "$out/audit_append" "$events" 1 1000 | tee "$out/$round/c.txt"
    "$out/audit_append" "$events" 0 1000 | tee -a "$out/$round/c.txt"
    "$out/audit_append" "$events" 1 0 | tee -a "$out/$round/c.txt"
    "$out/audit_append" "$events" 0 0 | tee -a "$out/$round/c.txt"
    [[ "${SKIP_SWIFT:-0}" == 1 ]] && continue
    swift package --package-path "$here/.." --allow-writing-to-directory "$out/$round" \
        benchmark --target AuditBenchmarks --filter "Chained append.*" --no-progress --format jmh --path "$out/$round" > "$out/$round/swift.log"
done
[[ "${SKIP_SWIFT:-0}" == 1 ]] || python3 "$here/audit_ratio.py" "$out"/*/
