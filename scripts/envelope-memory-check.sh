#!/usr/bin/env bash
# Issue 6's memory target, checked: the whole process that encrypts a multi-GB file into an
# envelope and decrypts it back (EnvelopeFile, as `zt encrypt`/`zt decrypt` use it) must peak at
# ≤ 16 MiB resident, whatever the file size. Run by `make bench`; fails (exit 1) if any size
# exceeds the limit or the round trip does not reproduce the input.
#
#   bash scripts/envelope-memory-check.sh            # 1 GiB and 4 GiB files
#   SIZES_GIB="1" bash scripts/envelope-memory-check.sh
#
# The process is Benchmarks/Baselines/EnvelopeProbe (`file` mode: a small program embedding
# ZeroTrustEnvelope), built the lean way that reaches the target (see "Whole-process memory" in
# Documentation/Performance.md for what each step saves):
#   --static-swift-stdlib           Swift runtime and Foundation linked in, no dynamic relocation
#                                   of libswiftCore/libFoundation*.so at start-up
#   -use-ld=lld, -z pack-relative-relocs
#                                   RELR: ~90,000 relative relocations packed into a few KB that
#                                   the loader reads instead of a 1.7 MB .rela.dyn table
#   libcrypto.a, libsodium.a        OpenSSL and libsodium linked in as well (pkg-config files
#                                   naming the archives; the C modules' autolink disabled)
# The peak is the probe's getrusage ru_maxrss (what `/usr/bin/time -f %M` prints). Before each run
# the binary's pages are dropped from the page cache (dd iflag=nocache), so it is loaded from disk
# as after an install: a binary whose page-cache pages were just written by cp measured ~1.8 MB
# more, because the kernel then maps more of its file pages around each fault.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ $(uname -s) != Linux ]]; then
    echo "envelope-memory-check: SKIPPED, not measured on $(uname -s) (the lean link flags and ldd are Linux/ELF only)" >&2
    exit 0
fi

LIMIT_KB=${LIMIT_KB:-16384}
SIZES_GIB=${SIZES_GIB:-"1 4"}
PROBE=Benchmarks/Baselines/EnvelopeProbe
SCRATCH=$PROBE/.build-lean

pcdir=$(mktemp -d)
work=$(mktemp -d /tmp/zt-envelope-memory.XXXXXX)
trap 'rm -rf "$pcdir" "$work"' EXIT

for lib in libcrypto libsodium; do
    source_pc="$(pkg-config --variable=pcfiledir "$lib")/$lib.pc"
    archive="$(pkg-config --variable=libdir "$lib")/$lib.a"
    [[ -f $archive ]] || { echo "envelope-memory-check: $archive not found (install the -dev package)" >&2; exit 2; }
    sed "s|^Libs:.*|Libs: -l:$lib.a|" "$source_pc" > "$pcdir/$lib.pc"
done

echo "building the lean EnvelopeProbe (release, static) ..."
PKG_CONFIG_PATH="$pcdir" swift build -c release --package-path "$PROBE" --scratch-path "$SCRATCH" --static-swift-stdlib \
    -Xswiftc -use-ld=lld -Xlinker -z -Xlinker pack-relative-relocs \
    -Xswiftc -Xfrontend -Xswiftc -disable-autolink-library -Xswiftc -Xfrontend -Xswiftc crypto \
    -Xswiftc -Xfrontend -Xswiftc -disable-autolink-library -Xswiftc -Xfrontend -Xswiftc sodium \
    2>&1 | grep -v -E "use of .mktemp. is dangerous" | tail -n 3
binary="$SCRATCH/release/EnvelopeProbe"
if ldd "$binary" | grep -q -E "libcrypto|libsodium|libswiftCore|libFoundation"; then
    echo "envelope-memory-check: $binary still links a shared libcrypto/libsodium/Swift runtime" >&2
    exit 2
fi

status=0
for gib in $SIZES_GIB; do
    input="$work/plain-$gib-GiB.bin"
    head -c "$((gib << 30))" /dev/urandom > "$input"
    sync "$binary"
    dd if="$binary" iflag=nocache count=0 status=none
    output=$("$binary" file "$input")
    peak=$(sed -n 's/^peak RSS \([0-9]*\) KB$/\1/p' <<< "$output")
    if ! cmp -s "$input" "$input.out"; then
        echo "FAIL $gib GiB: the decrypted file differs from the input" >&2
        status=1
    elif [[ -z $peak || $peak -gt $LIMIT_KB ]]; then
        echo "FAIL $gib GiB: peak RSS ${peak:-?} KB > $LIMIT_KB KB" >&2
        status=1
    else
        echo "ok   $gib GiB: encrypt + decrypt in one process, peak RSS $peak KB (limit $LIMIT_KB KB)"
    fi
    sed 's/^/     /' <<< "$output" | grep -v "^     peak"
    rm -f "$input" "$input.zte" "$input.out"
done
exit $status
