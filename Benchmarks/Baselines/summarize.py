#!/usr/bin/env python3
"""Builds the tables in Documentation/Performance.md from one sitting: the package-benchmark JMH
export of CryptoBenchmarks plus `openssl speed` (and the C floor) outputs saved in the same folder.

usage: summarize.py SITTING [SITTING ...]        the comparison table (each folder as sitting.sh writes it)
       summarize.py --floors SITTING [...]      the C floor table (floor.txt, sigfloor.txt in each)
With several sittings, each figure is the median over sittings of that sitting's median.
"""
import json, re, statistics, sys
from pathlib import Path

def scale_of(name):
    # Operations per measured iteration, as configured in CryptoBenchmarks (scalingFactor).
    return 1 if ("1 MiB" in name or name.split(" ")[-1] in ("sign", "verify")) else 1000

def load_suite(d):
    out = {}
    for b in json.load(open(d / "jmh" / "Current_run.jmh.json")):
        name = b["benchmark"].split("CryptoBenchmarks.", 1)[1].replace("_", " ")
        s = scale_of(name)
        wall = b["secondaryMetrics"]["Time (wall clock)"]
        assert wall["scoreUnit"] in ("μs", "\u03bcs", "ns", "ms"), wall["scoreUnit"]
        unit = {"ns": 1e-9, "μs": 1e-6, "ms": 1e-3}[wall["scoreUnit"]]
        t = statistics.median(wall["rawData"][0]) * unit
        malloc = b["secondaryMetrics"]["Malloc (total)"]["rawData"][0]
        out[name] = dict(ops=s / t, malloc_p50=statistics.median(malloc) / s, malloc_max=max(malloc) / s,
                         samples=len(malloc))
    return out

def openssl_table(path):
    rows, sizes = {}, None
    for line in open(path):
        if line.startswith("type"):
            sizes = [int(x) for x in re.findall(r"(\d+) bytes", line)]
        elif sizes and re.search(r"\d+\.\d+k", line):
            name = line.split()[0]
            vals = [float(x) * 1000 for x in re.findall(r"([\d.]+)k", line)]
            rows[name] = dict(zip(sizes, vals))  # bytes per second
    return rows

def openssl_sig(path):
    txt = open(path).read()
    out = {}
    for key, pat in (("rsa2048", r"rsa 2048 bits .*?([\d.]+)\s+([\d.]+)\s*$"),
                     ("ecdsap256", r"ecdsa \(nistp256\).*?([\d.]+)\s+([\d.]+)\s*$"),
                     ("ed25519", r"EdDSA \(Ed25519\).*?([\d.]+)\s+([\d.]+)\s*$")):
        m = re.search(pat, txt, re.M)
        out[key] = (float(m.group(1)), float(m.group(2)))
    return out

def floor(path):
    out = {}
    for line in open(path):
        m = re.match(r"(.+?)\s+(\d+) B\s+(\d+) ops/s", line)
        if m:
            out[(m.group(1).strip(), int(m.group(2)))] = float(m.group(3))
        m = re.match(r"(.+?)\s+(\d+) ops/s\s+(\d+) ns/op", line)
        if m:
            out[(m.group(1).strip(), 0)] = float(m.group(2))
    return out

SIZES = {"64 B": 64, "1 KiB": 1024, "16 KiB": 16384, "1 MiB": 1048576}

def reference(d, name):
    """(openssl ops/s, how, C-floor ops/s) for a benchmark."""
    parts = name.split(" ")
    fl = floor(d / "floor.txt")
    sf = floor(d / "sigfloor.txt")
    if parts[0] in ("AES-256-GCM", "ChaCha20-Poly1305", "XChaCha20-Poly1305"):
        alg, op = parts[0], parts[1]
        size_name = " ".join(parts[2:4])
        size = SIZES[size_name]
        c = fl.get((f"{alg} {op} (AEADEngine sequence)", size)) or fl.get((f"{alg} {op} (libsodium detached)", size))
        if alg == "XChaCha20-Poly1305":
            return None, "libsodium (C)", c
        stem = alg.lower()
        f = d / (f"{stem}.1m" if size == 1048576 else stem)
        f = Path(str(f) + (".dec.txt" if op == "open" else ".txt" if size == 1048576 else ".enc.txt"))
        bps = openssl_table(f)[alg][size]
        return bps / size, f"speed -evp{' -decrypt' if op == 'open' else ''}", c
    if parts[0] == "HMAC-SHA256":
        size = SIZES[" ".join(parts[1:3])]
        bps = openssl_table(d / "hmac.txt")["hmac(sha256)"][size]
        c = fl.get(("HMAC-SHA256 (ERR_clear + init/update/final)", size))
        return bps / size, "speed -hmac sha256", c
    sig = openssl_sig(d / "sig.txt")
    idx = 0 if parts[-1] == "sign" else 1
    if parts[0] == "Ed25519":
        return sig["ed25519"][idx], "speed ed25519", None
    if parts[0] == "P-256":
        c = sf.get((f"P-256 {parts[-1]}: new ctx + {parts[-1]}_init + {parts[-1]} + free", 0))
        return sig["ecdsap256"][idx], "speed ecdsap256", c
    if parts[0] == "RSA-2048":
        c = sf.get((f"RSA-2048 PKCS#1 {parts[-1]}: new ctx + {parts[-1]}_init + padding/md + {parts[-1]} + free", 0)) if "PKCS#1" in name else None
        return sig["rsa2048"][idx], "speed rsa2048 (PKCS#1 v1.5)", c
    raise KeyError(name)

def floors(dirs):
    rows = {}
    for d in dirs:
        for f in ("floor.txt", "sigfloor.txt"):
            for key, ops in floor(d / f).items():
                rows.setdefault(key, []).append(ops)
    print("| C program line | bytes | ops/s (median) | ns/op | MB/s |")
    print("|---|---:|---:|---:|---:|")
    for (label, size), values in rows.items():
        ops = statistics.median(values)
        mbs = f"{ops * size / 1e6:,.0f}" if size else "—"
        print(f"| {label} | {size or '—'} | {ops:,.0f} | {1e9 / ops:,.0f} | {mbs} |")

def main():
    if sys.argv[1] == "--floors":
        return floors([Path(p) for p in sys.argv[2:]])
    dirs = [Path(p) for p in sys.argv[1:]]
    per_round = []
    for d in dirs:
        suite = load_suite(d)
        rows = {}
        for name, r in suite.items():
            ref, how, c = reference(d, name)
            rows[name] = dict(r, ref=ref, how=how, c=c)
        per_round.append(rows)
    names = sorted(set.union(*(set(pr) for pr in per_round)))
    def med(xs):
        xs = [x for x in xs if x is not None]
        return statistics.median(xs) if xs else None
    fmt = lambda x, spec: "—" if x is None else format(x, spec)
    print("| Benchmark | ZeroTrustKit ops/s | GB/s | openssl speed ops/s | GB/s | ratio per sitting | ratio | mallocs/op (median / max) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for n in names:
        rs = [pr[n] for pr in per_round if n in pr]
        ops, ref, c = med([r["ops"] for r in rs]), med([r["ref"] for r in rs]), med([r["c"] for r in rs])
        size = next((v for k, v in SIZES.items() if k in n), None)
        gb = lambda x: None if (x is None or size is None) else x * size / 1e9
        ratios = [r["ops"] / r["ref"] for r in rs if r["ref"]]
        print(f"| {n} | {fmt(ops, ',.0f')} | {fmt(gb(ops), '.2f')} | {fmt(ref, ',.0f')} | {fmt(gb(ref), '.2f')} | "
              f"{' / '.join(f'{x:.2f}' for x in ratios) or '—'} | {fmt(med(ratios), '.2f')} | "
              f"{med([r['malloc_p50'] for r in rs]):.2f} / {max(r['malloc_max'] for r in rs):.2f} |")


if __name__ == "__main__":
    main()
