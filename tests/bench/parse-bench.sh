#!/usr/bin/env bash
# tests/bench/parse-bench.sh — runs the BenchmarkDotNet parse benchmarks (tests/Vna.Benchmarks) in Release and
# copies the markdown report to tests/bench/out/parse-<UTC time>.md (gitignored).
#
# Usage: tests/bench/parse-bench.sh [extra BenchmarkDotNet options...]     (from any folder)
#   e.g. tests/bench/parse-bench.sh --job short      tests/bench/parse-bench.sh --filter '*HeaderOnly*'
#
# Environment (all optional):
#   FILTER='*Parse*'      BenchmarkDotNet --filter
#   VNA_BENCH_OUT=DIR     output folder (default: tests/bench/out); BenchmarkDotNet artifacts in DIR/BenchmarkDotNet.Artifacts
#   VNA_BENCH_CT=FILE     the CT to parse (default: generated once with gen-ct.py into $TMPDIR/vna-bench/ct512)
#   VNA_GEN_CT=FILE       gen-ct.py (default: found as shared/tools/dicom/gen-ct.py beside an ancestor folder)
#   VNA_BENCH_XA=FILE     the multi-frame XA (default: shared/dicom-samples/multiframe/HasFragmentSequence.dcm; skipped if absent)
#   QUIET_BUSY=25 QUIET_WAIT=300   first wait up to QUIET_WAIT s until the CPUs are at most QUIET_BUSY % busy (recorded)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="${VNA_BENCH_OUT:-$HERE/out}"
FILTER="${FILTER:-*Parse*}"
ARTIFACTS="$OUT/BenchmarkDotNet.Artifacts"
TS=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"

# gen-ct.py beside the repository unless the caller named one (the benchmark also searches for it itself).
if [[ -z "${VNA_GEN_CT:-}" && -z "${VNA_BENCH_CT:-}" && -f "$ROOT/../shared/tools/dicom/gen-ct.py" ]]; then
    export VNA_GEN_CT="$ROOT/../shared/tools/dicom/gen-ct.py"
fi
if [[ -z "${VNA_BENCH_XA:-}" && -f "$ROOT/../shared/dicom-samples/multiframe/HasFragmentSequence.dcm" ]]; then
    export VNA_BENCH_XA="$ROOT/../shared/dicom-samples/multiframe/HasFragmentSequence.dcm"
fi

cpu_busy() { # percent of CPU time not idle over 1 s
    local a b ta=0 tb=0 i
    read -r -a a < /proc/stat; sleep 1; read -r -a b < /proc/stat
    for i in 1 2 3 4 5 6 7 8; do ta=$((ta + a[i])); tb=$((tb + b[i])); done
    local idle=$(( (b[4] + b[5]) - (a[4] + a[5]) )) total=$((tb - ta))
    echo $(( total > 0 ? 100 * (total - idle) / total : 0 ))
}
waited=0
busy=$(cpu_busy)
while (( busy > ${QUIET_BUSY:-25} && waited < ${QUIET_WAIT:-300} )); do
    sleep 4; waited=$((waited + 5)); busy=$(cpu_busy)
done
echo "parse-bench: CPUs ${busy} % busy after waiting ${waited} s" >&2

before="$(uptime); CPUs ${busy} % busy (1 s sample) after waiting ${waited} s"
cd "$ROOT"
rm -rf "$ARTIFACTS/results"
dotnet run -c Release --project tests/Vna.Benchmarks -- --filter "$FILTER" --artifacts "$ARTIFACTS" "$@"
after="$(uptime)"

shopt -s nullglob
reports=("$ARTIFACTS"/results/*-report-github.md)
[[ ${#reports[@]} -gt 0 ]] || { echo "parse-bench: no report in $ARTIFACTS/results" >&2; exit 1; }
dest="$OUT/parse-$TS.md"
{
    echo "# Parse benchmarks — $TS"
    echo
    echo "- machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
    echo "- uptime before: $before"
    echo "- uptime after:  $after"
    echo
    for report in "${reports[@]}"; do
        cat "$report"
        echo
    done
} > "$dest"
for csv in "$ARTIFACTS"/results/*-report.csv; do
    cp "$csv" "$OUT/parse-$TS-$(basename "$csv")"
done
cat "$dest"
echo "written: $dest" >&2
