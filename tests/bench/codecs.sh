#!/usr/bin/env bash
# tests/bench/codecs.sh — codec throughput, Vna.Codecs side by side with the OpenJPEG and OpenJPH command-line tools on the
# same pixels: the 512x512 CT of gen-ct.py and a 2500x3000 14-bit mammography-like image (tests/bench/codec-images.py).
#
#   1. BenchmarkDotNet (tests/Vna.Benchmarks, CodecBenchmarks): encode/decode MB/s of one frame on one thread and of one
#      frame per processor at once, for JPEG 2000 lossless, HTJ2K lossless (unsealed: OpenJPEG decode, as for codestreams
#      from outside; sealed: the archive's own encodes, HMAC signed/verified and decoded by OpenJPH),
#      JPEG-LS lossless and RLE, with compressed sizes.
#   2. hyperfine over opj_compress/opj_decompress (1 thread and all CPUs) and ojph_compress/ojph_expand (one thread: they have
#      no thread option) on the same PGM files; each CLI's lossless output is checked against the input pixels.
#   3. One markdown table (MB/s of raw pixel bytes, MB = 10^6 bytes; ratio = raw bytes / compressed bytes) and the load.
#
# Usage: tests/bench/codecs.sh [extra BenchmarkDotNet options]          RUNS=5 (hyperfine runs)  VNA_BENCH_OUT=DIR
#        VNA_BENCH_REUSE=DIR tests/bench/codecs.sh   redoes only the CLIs and the table over an earlier run's DIR
# Needs: .NET SDK, /usr/bin/python3 with python3-pydicom and python3-numpy, libopenjp2-tools, openjph-tools, hyperfine.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="${VNA_BENCH_OUT:-$HERE/out}"
RUNS="${RUNS:-5}"
TS=$(date -u +%Y%m%dT%H%M%SZ)
DIR="${VNA_BENCH_REUSE:-$OUT/codecs-$TS}"  # VNA_BENCH_REUSE=DIR: keep DIR's images and BenchmarkDotNet results, redo the CLIs
GEN_CT="${VNA_GEN_CT:-$ROOT/../shared/tools/dicom/gen-ct.py}"
NPROC=$(nproc)
mkdir -p "$DIR/ct" "$DIR/cli"
for tool in opj_compress opj_decompress ojph_compress ojph_expand hyperfine; do
    command -v "$tool" > /dev/null || { echo "codecs.sh: $tool is missing (libopenjp2-tools, openjph-tools, hyperfine)" >&2; exit 1; }
done

if [[ -z "${VNA_BENCH_REUSE:-}" ]]; then
echo "== images ($DIR)"
/usr/bin/python3 "$GEN_CT" --out "$DIR/ct" --studies 1 --instances 1 --flat -q --seed 6
/usr/bin/python3 "$HERE/codec-images.py" "$DIR" "$(find "$DIR/ct" -name '*.dcm' | head -1)"
echo "load before: $(uptime)" | tee "$DIR/load.txt"

echo "== BenchmarkDotNet"
VNA_BENCH_CODEC_DIR="$DIR" dotnet run -c Release --project "$ROOT/tests/Vna.Benchmarks" -- \
    --filter '*CodecBenchmarks*' --artifacts "$DIR/bdn" --exporters csv markdown "$@"
echo "load after BenchmarkDotNet: $(uptime)" | tee -a "$DIR/load.txt"
fi

echo "== command-line tools (hyperfine, $RUNS runs)"
cd "$DIR/cli"
for img in ct512 mammo; do
    src="$DIR/$img.pgm"
    for t in 1 "$NPROC"; do
        hyperfine -N --warmup 1 --runs "$RUNS" --export-json "opj_compress-$img-t$t.json" \
            "opj_compress -i $src -o $img.j2k -threads $t" > /dev/null
        hyperfine -N --warmup 1 --runs "$RUNS" --export-json "opj_decompress-$img-t$t.json" \
            "opj_decompress -i $img.j2k -o $img-opj.pgm -threads $t" > /dev/null
    done
    hyperfine -N --warmup 1 --runs "$RUNS" --export-json "ojph_compress-$img-t1.json" \
        "ojph_compress -i $src -o $img.j2c -reversible true" > /dev/null
    hyperfine -N --warmup 1 --runs "$RUNS" --export-json "ojph_expand-$img-t1.json" \
        "ojph_expand -i $img.j2c -o $img-ojph.pgm" > /dev/null
    # Lossless means the same samples back (the PGM headers may differ).
    /usr/bin/python3 - "$src" "$img-opj.pgm" "$img-ojph.pgm" <<'PY'
import sys
def samples(p):
    b = open(p, "rb").read()
    parts, i = [], 0
    while len(parts) < 4:
        while b[i:i + 1].isspace(): i += 1
        if b[i:i + 1] == b"#":  # a comment line (opj_decompress writes one)
            i = b.index(b"\n", i); continue
        j = i
        while not b[j:j + 1].isspace(): j += 1
        parts.append(b[i:j]); i = j
    return b[i + 1:]
ref = samples(sys.argv[1])
for p in sys.argv[2:]:
    assert samples(p) == ref, f"{p} differs from {sys.argv[1]}"
PY
    stat -c %s "$img.j2k" > "size-$img-opj.txt"
    stat -c %s "$img.j2c" > "size-$img-ojph.txt"
done
echo "load after CLIs: $(uptime)" | tee -a "$DIR/load.txt"

/usr/bin/python3 - "$DIR" "$NPROC" <<'PY' | tee "$DIR/table.md"
import csv, glob, json, os, sys
d, nproc = sys.argv[1], int(sys.argv[2])
raw = {"ct512": 512 * 512 * 2, "mammo": 2500 * 3000 * 2}
ours = {}
for path in glob.glob(os.path.join(d, "bdn", "results", "*CodecBenchmarks-report.csv")):
    for row in csv.DictReader(open(path, encoding="utf-8")):
        # The benchmark's own MB/s column: raw pixel bytes per median time (x processors for the AllCores methods).
        ours[(row["Image"], row["Codec"], row["Method"])] = float(row["MB/s"].replace(",", ""))
def cli(name, img, t):
    j = json.load(open(os.path.join(d, "cli", f"{name}-{img}-t{t}.json")))
    return raw[img] / j["results"][0]["median"] / 1e6
def size(path):
    return int(open(path).read().strip())
def f(v):
    return "-" if v is None else f"{v:,.1f}"
print(f"| image | codec | ratio | encode 1 thread | decode 1 thread | encode {nproc} cores | decode {nproc} cores |")
print("|---|---|---|---|---|---|---|")
names = {"j2k": "Vna J2K .90 (OpenJPEG)", "htj2k": "Vna HTJ2K .201 (OpenJPH enc, OpenJPEG dec)",
         "htj2k-sealed": "Vna HTJ2K .201 sealed (OpenJPH enc+dec, with the HMAC)", "jpegls": "Vna JPEG-LS .80 (CharLS)", "rle": "Vna RLE .5 (managed)"}
for img in ("ct512", "mammo"):
    for codec, label in names.items():
        g = lambda m: ours.get((img, codec, m))
        s = os.path.join(d, f"size-{img}-{codec}.txt")
        ratio = raw[img] / size(s) if os.path.exists(s) else None
        print(f"| {img} | {label} | {ratio:.2f} |" if ratio else f"| {img} | {label} | - |", end="")
        print(f" {f(g('Encode'))} | {f(g('Decode'))} | {f(g('EncodeAllCores'))} | {f(g('DecodeAllCores'))} |")
    r = raw[img] / size(os.path.join(d, "cli", f"size-{img}-opj.txt"))
    print(f"| {img} | opj_compress / opj_decompress (-threads 1 / {nproc}) | {r:.2f} | {f(cli('opj_compress', img, 1))} | {f(cli('opj_decompress', img, 1))} | {f(cli('opj_compress', img, nproc))} (-threads) | {f(cli('opj_decompress', img, nproc))} (-threads) |")
    r = raw[img] / size(os.path.join(d, "cli", f"size-{img}-ojph.txt"))
    print(f"| {img} | ojph_compress / ojph_expand (one thread only) | {r:.2f} | {f(cli('ojph_compress', img, 1))} | {f(cli('ojph_expand', img, 1))} | - | - |")
PY
cat "$DIR/load.txt"
echo "results: $DIR"
