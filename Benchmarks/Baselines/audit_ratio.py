#!/usr/bin/env python3
"""Prints Swift / C for AuditBenchmarks' chained append, per round and as the median over rounds.

usage: audit_ratio.py ROUND_DIR [ROUND_DIR ...]
Each ROUND_DIR holds c.txt (audit_append's lines, one per chain and fsync policy) and the
package-benchmark JMH export of the "Chained append" benchmarks (run-audit-baseline.sh writes both).
Results are matched by chain (HMAC-SHA256, SHA-256) and fsync policy ("fsync every 1000", "fsync never").

The ratio compares like with like: C reports events over its whole run's time, so Swift's figure
is the same, events over the summed wall-clock time of all its iterations (1,000 events each, the
suite's scaling factor), slow fsyncs included. The Swift median iteration is printed for reference.
"""
import json, re, statistics, sys
from pathlib import Path

EVENTS_PER_ITERATION = 1000
UNITS = {"ns": 1e-9, "\u00b5s": 1e-6, "\u03bcs": 1e-6, "ms": 1e-3, "s": 1.0}

def c_rates(d):
    rates = {}
    for line in open(d / "c.txt"):
        m = re.match(r"C baseline \((\S+) chain, (fsync [a-z0-9 ]+)\).*= (\d+) events/s", line)
        if m:
            rates[f"{m.group(1)}, {m.group(2)}"] = float(m.group(3))
    return rates

def swift_rates(d):
    rates = {}
    for path in d.glob("*.jmh.json"):
        for b in json.load(open(path)):
            m = re.search(r"Chained append, (\S+) chain, (fsync [a-z0-9 ]+)", b["benchmark"].replace("_", " "))
            if not m:
                continue
            wall = b["secondaryMetrics"]["Time (wall clock)"]
            samples = [value * UNITS[wall["scoreUnit"]] for value in wall["rawData"][0]]
            rates[f"{m.group(1)}, {m.group(2)}"] = (EVENTS_PER_ITERATION * len(samples) / sum(samples),
                                 EVENTS_PER_ITERATION / statistics.median(samples))
    return rates

def main(dirs):
    ratios = {}
    for d in map(Path, dirs):
        c, s = c_rates(d), swift_rates(d)
        for chain in sorted(c):
            if chain not in s:
                sys.exit(f"{d}: no Swift result for the {chain} chain")
            overall, median = s[chain]
            ratio = overall / c[chain]
            ratios.setdefault(chain, []).append(ratio)
            print(f"round {d.name}: {chain:29} Swift {overall:8.0f} events/s (median iteration {median:8.0f}/s), "
                  f"C {c[chain]:8.0f} events/s, Swift/C {ratio:.2f}")
    for chain, values in sorted(ratios.items()):
        median = statistics.median(values)
        verdict = "meets" if median >= 0.5 else "does NOT meet"
        print(f"median over {len(values)} round(s): {chain:29} Swift/C {median:.2f} ({verdict} the >= 0.5x target)")

if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
