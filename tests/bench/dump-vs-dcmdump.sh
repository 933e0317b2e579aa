#!/usr/bin/env bash
# tests/bench/dump-vs-dcmdump.sh — `vna dump` versus DCMTK `dcmdump`, side by side, over the same
# 1000 synthetic CT files (512x512, 16 bits allocated, Explicit VR Little Endian, ~526 MB).
#
# Usage: tests/bench/dump-vs-dcmdump.sh            (from any folder)
#
# Environment (all optional):
#   RUNS=5                 timed runs per command (hyperfine --runs; median reported), after one checked warm-up run
#   VNA_GEN_CT=PATH        gen-ct.py (default: <repo>/../shared/tools/dicom/gen-ct.py); needed only to make the data
#   VNA_BENCH_OUT=DIR      output folder (default: tests/bench/out; gitignored). Data: DIR/ct1000 (reused if complete)
#   VNA_CMD="..."          how to run the CLI (default: what deploy/local/vna publishes into <repo>/var/cli —
#                          the native AOT executable, or `dotnet vna.dll` ReadyToRun where AOT cannot be built)
#   HYPERFINE=none         time with /usr/bin/time instead of hyperfine (the fallback when it is not installed)
#   SKIP_BUILD=1           do not (re)build src/Vna.Cli in Release first
#   VNA_HEADER_OPT=--opt   `vna dump` option for a header-only dump (default: detected from `vna dump --help`)
#   PARALLEL=$(nproc)      processes/threads for the parallel rows (vna dump --parallel N, xargs -P N dcmdump); 1 = skip
#   PER_FILE_SUBSET=100    files for the one-process-per-file runs of `vna dump` (.NET start-up per file); 0 = skip
#   QUIET_BUSY=25 QUIET_WAIT=120   before each command, wait up to QUIET_WAIT s until the CPUs are at most QUIET_BUSY % busy
#
# Every command writes to /dev/null; files are in the page cache (the warm-up run reads them all).
# Results: a table on stdout and OUT/dump-vs-dcmdump-<UTC time>.{tsv,md} plus hyperfine JSON in OUT/hyperfine/.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="${VNA_BENCH_OUT:-$HERE/out}"
DATA="$OUT/ct1000"
RUNS="${RUNS:-5}"
PER_FILE_SUBSET="${PER_FILE_SUBSET:-100}"
QUIET_BUSY="${QUIET_BUSY:-25}"
QUIET_WAIT="${QUIET_WAIT:-120}"
PY=/usr/bin/python3
[[ -x "$PY" ]] || PY=python3
STUDIES=10
INSTANCES=100
EXPECTED=$((STUDIES * INSTANCES))

die() { printf 'dump-vs-dcmdump: %s\n' "$*" >&2; exit 1; }

command -v dcmdump >/dev/null || die "dcmdump not found (apt-get install -y dcmtk)"
command -v dotnet >/dev/null || [[ -n "${VNA_CMD:-}" ]] || die "dotnet not found"
mkdir -p "$OUT/hyperfine"

# --- data ---------------------------------------------------------------------------------------
GEN_CT="${VNA_GEN_CT:-$ROOT/../shared/tools/dicom/gen-ct.py}"
if [[ ! -f "$DATA/.complete" ]]; then
    [[ -f "$GEN_CT" ]] || die "gen-ct.py not found at $GEN_CT: set VNA_GEN_CT or provide ../shared/tools/dicom/gen-ct.py next to the repository"
    echo "generating $EXPECTED CT files into $DATA ..." >&2
    rm -rf "$DATA.tmp" "$DATA"
    "$PY" "$GEN_CT" --out "$DATA.tmp" --studies "$STUDIES" --instances "$INSTANCES" --rows 512 --cols 512 -q
    mv "$DATA.tmp" "$DATA"
    date -u +%FT%TZ > "$DATA/.complete"
fi
LIST="$OUT/ct1000.list0"
find "$DATA" -type f -name '*.dcm' -print0 | sort -z > "$LIST"
NFILES=$(tr -cd '\0' < "$LIST" | wc -c)
[[ "$NFILES" -eq "$EXPECTED" ]] || die "$DATA holds $NFILES .dcm files, expected $EXPECTED (delete it to regenerate)"
BYTES=$(xargs -0 stat -c %s < "$LIST" | awk '{s+=$1} END {printf "%d", s}')
SUBSET_LIST="$OUT/ct1000.subset.list0"
if [[ "$PER_FILE_SUBSET" -gt 0 ]]; then
    head -z -n "$PER_FILE_SUBSET" "$LIST" > "$SUBSET_LIST"
    SUBSET_BYTES=$(xargs -0 stat -c %s < "$SUBSET_LIST" | awk '{s+=$1} END {printf "%d", s}')
fi

# --- the CLI --------------------------------------------------------------------------------------
if [[ -z "${VNA_CMD:-}" ]]; then
    if [[ "${SKIP_BUILD:-}" != 1 ]]; then
        # The same build as deploy/local/vna (native AOT, else ReadyToRun), as users run the tool.
        (VNA_FORCE_BUILD=1 "$ROOT/deploy/local/vna" --version) >"$OUT/vna-build.log" 2>&1 \
            || die "building src/Vna.Cli failed (see $OUT/vna-build.log)"
    fi
    case "$(cat "$ROOT/var/cli/.kind" 2>/dev/null)" in
        aot) VNA_CMD="$ROOT/var/cli/vna" ;;
        r2r) VNA_CMD="dotnet $ROOT/var/cli/vna.dll" ;;
        *) die "no published CLI in $ROOT/var/cli (run deploy/local/vna once, or set VNA_CMD)" ;;
    esac
fi
# shellcheck disable=SC2086
$VNA_CMD dump --help > "$OUT/vna-dump-help.txt" 2>&1 || die "'$VNA_CMD dump --help' failed: $(head -5 "$OUT/vna-dump-help.txt")"
if [[ -z "${VNA_HEADER_OPT+x}" ]]; then
    VNA_HEADER_OPT=""
    for opt in --stop-at-pixel-data --header-only --no-pixel-data --headers-only; do
        if grep -q -- "$opt\b" "$OUT/vna-dump-help.txt"; then VNA_HEADER_OPT="$opt"; break; fi
    done
fi

# Sanity: every tool must read every file without error (exit status 0), once, outputs kept for their sizes.
check() { # name, command
    local name="$1" cmd="$2"
    if ! bash -c "$cmd" > "$OUT/sample-$name.out" 2> "$OUT/sample-$name.err"; then
        die "'$cmd' failed: $(head -5 "$OUT/sample-$name.err")"
    fi
}

# --- measurement helpers ----------------------------------------------------------------------------
cpu_busy() { # percent of CPU time not idle over 1 s
    local a b
    read -r -a a < /proc/stat; sleep 1; read -r -a b < /proc/stat
    local ta=0 tb=0 i
    for i in 1 2 3 4 5 6 7 8; do ta=$((ta + a[i])); tb=$((tb + b[i])); done
    local idle=$(( (b[4] + b[5]) - (a[4] + a[5]) )) total=$((tb - ta))
    echo $(( total > 0 ? 100 * (total - idle) / total : 0 ))
}

wait_quiet() {
    local waited=0 busy
    busy=$(cpu_busy)
    while (( busy > QUIET_BUSY && waited < QUIET_WAIT )); do
        sleep 4; waited=$((waited + 5)); busy=$(cpu_busy)
    done
    echo "$busy"
}

TS=$(date -u +%Y%m%dT%H%M%SZ)
TSV="$OUT/dump-vs-dcmdump-$TS.tsv"
MD="$OUT/dump-vs-dcmdump-$TS.md"
printf 'name\tfiles\tbytes\tmedian_s\tmin_s\tmax_s\tuser_s\tsys_s\tfiles_per_s\tMB_per_s\tout_bytes\tbusy_before_pct\tload1\tcommand\n' > "$TSV"

measure() { # name, files, bytes, command [, runs]
    local name="$1" files="$2" bytes="$3" cmd="$4" runs="${5:-$RUNS}" busy load json out_bytes
    check "$name" "$cmd"
    out_bytes=$(stat -c %s "$OUT/sample-$name.out")
    busy=$(wait_quiet)
    load=$(cut -d' ' -f1 /proc/loadavg)
    json="$OUT/hyperfine/$TS-$name.json"
    if [[ "${HYPERFINE:-}" != none ]] && command -v hyperfine >/dev/null; then
        hyperfine --style basic --warmup 0 --runs "$runs" --export-json "$json" -n "$name" "$cmd > /dev/null" >&2
    else
        # Fallback: /usr/bin/time per run, written in hyperfine's JSON shape.
        local times=() users=() syss=() r line
        bash -c "$cmd" > /dev/null
        for ((r = 0; r < runs; r++)); do
            line=$(/usr/bin/time -f '%e %U %S' bash -c "$cmd > /dev/null" 2>&1 >/dev/null | tail -1)
            read -r e u s <<< "$line"; times+=("$e"); users+=("$u"); syss+=("$s")
        done
        "$PY" - "$json" "${times[*]}" "${users[*]}" "${syss[*]}" <<'EOF'
import json, statistics, sys
t, u, s = ([float(x) for x in a.split()] for a in sys.argv[2:5])
json.dump({"results": [{"median": statistics.median(t), "min": min(t), "max": max(t), "times": t,
                        "user": statistics.mean(u), "system": statistics.mean(s)}]}, open(sys.argv[1], "w"))
EOF
    fi
    "$PY" - "$json" "$name" "$files" "$bytes" "$out_bytes" "$busy" "$load" "$cmd" >> "$TSV" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
name, files, nbytes, out_bytes, busy, load, cmd = sys.argv[2:9]
med = r["median"]
print("\t".join([name, files, nbytes, f"{med:.3f}", f"{r['min']:.3f}", f"{r['max']:.3f}", f"{r['user']:.3f}",
                 f"{r['system']:.3f}", f"{int(files) / med:.0f}", f"{int(nbytes) / med / 1e6:.0f}", out_bytes, busy, load, cmd]))
EOF
}

# --- the commands -------------------------------------------------------------------------------------
echo "files: $NFILES, $BYTES bytes ($(awk -v b="$BYTES" 'BEGIN{printf "%.1f", b/1e6}') MB) in $DATA" >&2
echo "vna: $VNA_CMD; header-only option: ${VNA_HEADER_OPT:-(none)}; $(dcmdump --version 2>&1 | head -1)" >&2

# Full dumps (all values read; dcmdump default +M loads long values such as pixel data).
measure dcmdump-per-file "$NFILES" "$BYTES" "xargs -0 -n 1 dcmdump -q < '$LIST'"
measure dcmdump-one-process "$NFILES" "$BYTES" "xargs -0 dcmdump -q < '$LIST'"
measure vna-dump-folder "$NFILES" "$BYTES" "$VNA_CMD dump '$DATA'"
measure vna-dump-folder-json "$NFILES" "$BYTES" "$VNA_CMD dump --json '$DATA'"
if [[ "$PER_FILE_SUBSET" -gt 0 ]]; then
    measure vna-dump-per-file-subset "$PER_FILE_SUBSET" "$SUBSET_BYTES" "xargs -0 -n 1 $VNA_CMD dump < '$SUBSET_LIST'"
    measure dcmdump-per-file-subset "$PER_FILE_SUBSET" "$SUBSET_BYTES" "xargs -0 -n 1 dcmdump -q < '$SUBSET_LIST'"
fi

# Parse cost without the printing: dcmdump prints only one element (+P) but still reads every file whole
# (default +M: pixel data loaded; -M: long values skipped). Compare with the in-process BenchmarkDotNet figures.
measure dcmdump-one-process-print-one-tag "$NFILES" "$BYTES" "xargs -0 dcmdump -q +P SOPInstanceUID < '$LIST'"
measure dcmdump-one-process-print-one-tag-stop-before-pixels "$NFILES" "$BYTES" "xargs -0 dcmdump -q +sb PixelData +P SOPInstanceUID < '$LIST'"
measure dcmdump-one-process-print-one-tag-no-long-values "$NFILES" "$BYTES" "xargs -0 dcmdump -q -M +P SOPInstanceUID < '$LIST'"

# Start-up floors: one process dumping one file (subtract from the one-process rows to get the per-file cost).
FIRST="$(head -z -n 1 "$LIST" | tr -d '\0')"
FIRST_BYTES=$(stat -c %s "$FIRST")
measure floor-dcmdump-1-file 1 "$FIRST_BYTES" "dcmdump -q '$FIRST'" $((RUNS * 4))
measure floor-vna-dump-1-file 1 "$FIRST_BYTES" "$VNA_CMD dump '$FIRST'" $((RUNS * 4))

# Both cores: vna's own --parallel (output in file order) vs two dcmdump processes over half the files each.
PAR="${PARALLEL:-$(nproc)}"
if [[ "$PAR" -gt 1 ]]; then
    measure "vna-dump-folder-j$PAR" "$NFILES" "$BYTES" "$VNA_CMD dump --parallel $PAR '$DATA'"
    measure "dcmdump-$PAR-processes-no-long-values" "$NFILES" "$BYTES" "xargs -0 -P $PAR -n $(( (NFILES + PAR - 1) / PAR )) dcmdump -q -M < '$LIST'"
fi

# Header-only / skip pixel data: dcmdump +sb stops before Pixel Data; -M parses all but does not load long values.
measure dcmdump-one-process-stop-before-pixels "$NFILES" "$BYTES" "xargs -0 dcmdump -q +sb PixelData < '$LIST'"
measure dcmdump-one-process-no-long-values "$NFILES" "$BYTES" "xargs -0 dcmdump -q -M < '$LIST'"
if [[ -n "$VNA_HEADER_OPT" ]]; then
    measure vna-dump-folder-header-only "$NFILES" "$BYTES" "$VNA_CMD dump $VNA_HEADER_OPT '$DATA'"
    measure vna-dump-folder-json-header-only "$NFILES" "$BYTES" "$VNA_CMD dump --json $VNA_HEADER_OPT '$DATA'"
else
    echo "note: 'vna dump --help' shows no header-only option; header-only rows for vna skipped" >&2
fi

# --- report ----------------------------------------------------------------------------------------------
{
    echo "# vna dump vs dcmdump — $TS"
    echo
    echo "$NFILES files, $BYTES bytes; $(nproc) CPUs ($(lscpu | sed -n 's/^Model name: *//p' | head -1)); RUNS=$RUNS (median, [min-max]); MB = 10^6 bytes."
    echo "vna: \`$VNA_CMD\`; $(dcmdump --version 2>&1 | head -1 | tr -d '$')"
    echo
    echo "| command | files | median s [min-max] | files/s | MB/s | CPU s (user+sys) | output bytes | busy before % | load1 |"
    echo "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
    tail -n +2 "$TSV" | while IFS=$'\t' read -r name files bytes med mn mx usr sys fps mbps ob busy load cmd; do
        printf '| %s | %s | %s [%s-%s] | %s | %s | %s | %s | %s | %s |\n' "$name" "$files" "$med" "$mn" "$mx" "$fps" "$mbps" \
            "$(awk -v u="$usr" -v s="$sys" 'BEGIN{printf "%.2f", u+s}')" "$ob" "$busy" "$load"
    done
    echo
    echo "Commands:"
    echo
    tail -n +2 "$TSV" | while IFS=$'\t' read -r name _ _ _ _ _ _ _ _ _ _ _ _ cmd; do
        printf -- '- %s: `%s`\n' "$name" "$cmd"
    done
} > "$MD"
cat "$MD"
echo >&2
echo "written: $MD $TSV" >&2
