#!/usr/bin/env bash
# tests/bench/dicomweb.sh — DICOMweb side by side: Vna (src/Vna.Web) and Orthanc's DICOMweb plugin (Debian orthanc +
# orthanc-dicomweb) on the same data, the same requests (curl), one run:
#   1. STOW-RS ingest of a 500-instance 512×512 CT series (20 requests of 25 instances, PARALLEL at a time)
#   2. STOW-RS ingest of 10,000 one-instance studies (64×64 CT, 400 requests of 25)
#   3. QIDO-RS study search latency on those 10,000 studies (five queries, REPEAT times each: median and p95)
#   4. WADO-RS series metadata latency of the 500-instance series (first call, then median of REPEAT)
#   5. WADO-RS retrieve of the 500-instance series (multipart application/dicom, RETRIEVES times: MB/s)
# Prints a Markdown report and keeps it in tests/bench/out/dicomweb-<UTC>.md (gitignored), with the load before and after.
#
# Usage: tests/bench/dicomweb.sh     (root: Orthanc runs inside a loopback-only network namespace, deploy/local/netns-run)
#
# Ports (PORT_BASE=41300 unless set; base..base+11): Vna HTTP base, silo +1, gateway +2, DIMSE +3; Orthanc HTTP +10, DICOM +11.
# Environment (optional): PORT_BASE=41300 PARALLEL=4 REPEAT=20 RETRIEVES=3 VNA_BENCH_OUT=DIR VNA_GEN_CT=FILE VNA_BENCH_KEEP=1
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="${VNA_BENCH_OUT:-$HERE/out}"
GEN_CT="${VNA_GEN_CT:-$ROOT/../shared/tools/dicom/gen-ct.py}"
PARALLEL="${PARALLEL:-4}"
REPEAT="${REPEAT:-20}"
RETRIEVES="${RETRIEVES:-3}"
DATA="$OUT/dicomweb-data"
TS=$(date -u +%Y%m%dT%H%M%SZ)
WORK="$OUT/dicomweb-$TS"
REPORT="$OUT/dicomweb-$TS.md"
PG="$ROOT/deploy/local/pg"
NETNS="$ROOT/deploy/local/netns-run"
PORT_BASE="${PORT_BASE:-41300}"
VNA_PORT=$PORT_BASE ORTHANC_PORT=$((PORT_BASE + 10))
mkdir -p "$OUT" "$WORK" "$DATA"
log() { printf 'dicomweb-bench: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

for tool in curl Orthanc /usr/bin/python3 dotnet; do command -v "$tool" >/dev/null || die "$tool is missing"; done
[[ -f /usr/share/orthanc/plugins/libOrthancDicomWeb.so ]] || die "the Orthanc DICOMweb plugin is missing (apt-get install orthanc-dicomweb)"
[[ -f "$GEN_CT" ]] || die "the CT generator is missing: $GEN_CT (set VNA_GEN_CT)"
"$NETNS" --check || die "Orthanc must run in a loopback-only network namespace and none can be made here"

VNA_PID="" ORTHANC_PID="" DB=""
cleanup() {
    [[ -n "$VNA_PID" ]] && kill -TERM "$VNA_PID" 2>/dev/null && wait "$VNA_PID" 2>/dev/null || true
    [[ -n "$ORTHANC_PID" ]] && kill -TERM "$ORTHANC_PID" 2>/dev/null && wait "$ORTHANC_PID" 2>/dev/null || true
    if [[ -n "$DB" && "${VNA_BENCH_KEEP:-0}" != 1 ]]; then
        "$PG" psql -q -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
        rm -rf "$WORK/vna-data" "$WORK/orthanc-db"
    fi
}
trap cleanup EXIT

# --- data, made once ----------------------------------------------------------------------------------------------
if [[ ! -f "$DATA/ct500.keys" ]]; then
    log "generating the 500-instance CT series and its STOW bodies"
    rm -rf "$DATA/ct500" "$DATA/ct500-bodies"
    /usr/bin/python3 "$GEN_CT" --out "$DATA/ct500" --studies 1 --instances 500 --seed 20261128 -q
    /usr/bin/python3 "$HERE/dicomweb/make-bodies.py" "$DATA/ct500" "$DATA/ct500-bodies" 25 > "$DATA/ct500.keys.tmp"
    mv "$DATA/ct500.keys.tmp" "$DATA/ct500.keys"
fi
if [[ ! -f "$DATA/small.keys" ]]; then
    log "generating 10,000 one-instance studies and their STOW bodies"
    rm -rf "$DATA/small" "$DATA/small-bodies"
    /usr/bin/python3 "$GEN_CT" --out "$DATA/small" --studies 10000 --instances 1 --rows 64 --cols 64 --seed 777 -q
    /usr/bin/python3 "$HERE/dicomweb/make-bodies.py" "$DATA/small" "$DATA/small-bodies" 25 > "$DATA/small.keys.tmp"
    mv "$DATA/small.keys.tmp" "$DATA/small.keys"
fi
key() { sed -n "s/^$2=//p" "$DATA/$1.keys"; }
SERIES_STUDY=$(key ct500 study) SERIES_UID=$(key ct500 series) SERIES_BYTES=$(key ct500 bytes)
SMALL_BYTES=$(key small bytes)
Q_PID=$(key small patient_id) Q_NAME=$(key small name_prefix) Q_DATE=$(key small study_date)
Q_MONTH="${Q_DATE:0:6}"

# --- Vna ------------------------------------------------------------------------------------------------------------
PG_CS="$("$PG" start | tail -n 1)"
[[ "$PG_CS" == Host=* ]] || die "deploy/local/pg start did not print a connection string"
log "building Vna.Server (Release)"
dotnet build "$ROOT/src/Vna.Server" -c Release --artifacts-path "$OUT/artifacts" -nologo -v quiet >/dev/null
SERVER_DLL="$(find "$OUT/artifacts/bin/Vna.Server" -name Vna.Server.dll -path '*release*' | head -n 1)"
DB="vna_bench_web_$(date +%s)"
"$PG" psql -q -c "CREATE DATABASE $DB" >/dev/null
mkdir -p "$WORK/vna-data"
(
    cd "$WORK"
    export VNA_Vna__Postgres="$(echo "$PG_CS" | sed "s/Database=[^;]*/Database=$DB/")"
    export VNA_Vna__DataDirectory="$WORK/vna-data" VNA_Vna__HttpUrl="http://127.0.0.1:$VNA_PORT"
    export VNA_Vna__SiloPort=$((PORT_BASE + 1)) VNA_Vna__GatewayPort=$((PORT_BASE + 2)) VNA_Vna__DimsePort=$((PORT_BASE + 3)) VNA_Vna__ClusterId="bench-web-$TS"
    export VNA_Logging__LogLevel__Default=Warning VNA_Tiers__Enabled=false
    exec dotnet "$SERVER_DLL" >"$WORK/vna.log" 2>&1
) &
VNA_PID=$!

# --- Orthanc, in its own loopback-only network namespace ---------------------------------------------------------------
mkdir -p "$WORK/orthanc-db"
cat >"$WORK/orthanc.json" <<JSON
{
  "Name": "bench", "StorageDirectory": "$WORK/orthanc-db", "IndexDirectory": "$WORK/orthanc-db",
  "HttpPort": $ORTHANC_PORT, "DicomPort": $((PORT_BASE + 11)), "DicomServerEnabled": false, "RemoteAccessAllowed": false,
  "AuthenticationEnabled": false, "HttpCompressionEnabled": false, "StorageCompression": false, "SaveJobs": false,
  "Plugins": [ "/usr/share/orthanc/plugins/libOrthancDicomWeb.so" ],
  "DicomWeb": { "Enable": true, "Root": "/dicom-web/" }
}
JSON
"$NETNS" Orthanc "$WORK/orthanc.json" >"$WORK/orthanc.log" 2>&1 &
ORTHANC_PID=$!

vna_curl() { curl "$@"; }
orthanc_curl() { "$NETNS" --join "$ORTHANC_PID" curl "$@"; }
for target in vna orthanc; do
    url=$([[ $target == vna ]] && echo "http://127.0.0.1:$VNA_PORT/health" || echo "http://127.0.0.1:$ORTHANC_PORT/system")
    for _ in $(seq 1 240); do
        ${target}_curl -sf -o /dev/null "$url" && break
        sleep 0.5
    done
    ${target}_curl -sf -o /dev/null "$url" || die "$target did not start (logs in $WORK)"
done
base() { [[ $1 == vna ]] && echo "http://127.0.0.1:$VNA_PORT/dicomweb" || echo "http://127.0.0.1:$ORTHANC_PORT/dicom-web"; }

load() { cut -d' ' -f1-3 /proc/loadavg; }
LOAD_BEFORE=$(load)
log "load before: $LOAD_BEFORE"

# --- measurements -----------------------------------------------------------------------------------------------------
# stow TARGET BODYDIR: every body posted, PARALLEL at a time; prints seconds; fails on any status other than 200.
stow() {
    local target=$1 dir=$2 start end
    export STOW_URL="$(base "$target")/studies" STOW_NS="" NETNS
    [[ $target == orthanc ]] && STOW_NS=$ORTHANC_PID
    start=$(date +%s.%N)
    # shellcheck disable=SC2016
    find "$dir" -name 'body-*.mime' -print0 | sort -z | xargs -0 -P "$PARALLEL" -n 1 bash -c '
        runner=(); [[ -n "$STOW_NS" ]] && runner=("$NETNS" --join "$STOW_NS")
        code=$("${runner[@]}" curl -s -o /dev/null -w "%{http_code}" -H "Accept: application/dicom+json" \
            -H "Content-Type: multipart/related; type=\"application/dicom\"; boundary=vnabenchboundary" --data-binary @"$1" "$STOW_URL")
        [[ $code == 200 ]] || { echo "STOW of $1 answered $code" >&2; exit 255; }' _
    end=$(date +%s.%N)
    echo "$end - $start" | bc -l
}
# timings TARGET N URL [ACCEPT]: N timings (ms) of one GET, one per line.
timings() {
    local target=$1 n=$2 url=$3 accept=${4:-application/dicom+json} i
    for ((i = 0; i < n; i++)); do
        ${target}_curl -s -o /dev/null -H "Accept: $accept" -w '%{time_total}\n' "$url" | awk '{ printf "%.2f\n", $1 * 1000 }'
    done
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
p95() { sort -n | awk '{ v[NR] = $1 } END { i = int(NR * 0.95 + 0.5); if (i < 1) i = 1; print v[i] }'; }
declare -A R
QUERIES=(
    "PatientID=$Q_PID"
    "PatientName=${Q_NAME}*&limit=1000"
    "StudyDate=${Q_MONTH}01-${Q_MONTH}28&limit=1000"
    "limit=100"
    "ModalitiesInStudy=CT&limit=100&includefield=StudyDescription"
)
for target in vna orthanc; do
    log "$target: STOW-RS of the 500-instance series"
    s=$(stow "$target" "$DATA/ct500-bodies")
    R[$target,stow_series]=$(echo "500 / $s" | bc -l)
    R[$target,stow_series_mb]=$(echo "$SERIES_BYTES / $s / 1000000" | bc -l)
    log "$target: STOW-RS of 10,000 one-instance studies"
    s=$(stow "$target" "$DATA/small-bodies")
    R[$target,stow_small]=$(echo "10000 / $s" | bc -l)
    for i in "${!QUERIES[@]}"; do
        timings "$target" 2 "$(base "$target")/studies?${QUERIES[$i]}" >/dev/null # warm
        mapfile -t t < <(timings "$target" "$REPEAT" "$(base "$target")/studies?${QUERIES[$i]}")
        R[$target,q$i]=$(printf '%s\n' "${t[@]}" | median)
        R[$target,q${i}p95]=$(printf '%s\n' "${t[@]}" | p95)
        R[$target,q${i}n]=$(${target}_curl -s -H "Accept: application/dicom+json" "$(base "$target")/studies?${QUERIES[$i]}" | /usr/bin/python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
    done
    log "$target: series metadata"
    meta="$(base "$target")/studies/$SERIES_STUDY/series/$SERIES_UID/metadata"
    R[$target,meta_first]=$(timings "$target" 1 "$meta")
    R[$target,meta]=$(timings "$target" "$REPEAT" "$meta" | median)
    R[$target,meta_n]=$(${target}_curl -s "$meta" | /usr/bin/python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
    log "$target: WADO-RS of the series"
    best=0
    for ((i = 0; i < RETRIEVES; i++)); do
        line=$(${target}_curl -s -o /dev/null -H 'Accept: multipart/related; type="application/dicom"' -w '%{size_download} %{time_total}\n' \
            "$(base "$target")/studies/$SERIES_STUDY/series/$SERIES_UID")
        mbs=$(echo "$line" | awk '{ printf "%.0f", $1 / $2 / 1000000 }')
        R[$target,wado_bytes]=${line%% *}
        (( mbs > best )) && best=$mbs
        R[$target,wado_all]="${R[$target,wado_all]:-}${R[$target,wado_all]:+ / }$mbs"
    done
    R[$target,wado]=$best
done
LOAD_AFTER=$(load)

# --- report -------------------------------------------------------------------------------------------------------------
f() { printf "%.${2:-1}f" "$1"; }
{
    echo "### DICOMweb: Vna vs Orthanc $(Orthanc --version 2>/dev/null | head -n 1 | awk '{ print $NF }') + DICOMweb plugin $(dpkg-query -W -f '${Version}' orthanc-dicomweb) — $TS"
    echo
    echo "Load average (1/5/15 min) before: $LOAD_BEFORE, after: $LOAD_AFTER. 2 cores shared. Requests by curl, PARALLEL=$PARALLEL for STOW,"
    echo "REPEAT=$REPEAT for latencies (after 2 warm-up calls), best of $RETRIEVES for WADO-RS. Both durable (Vna: fsync per object; Orthanc: SyncStorageArea default)."
    echo
    echo "| operation | Vna | Orthanc |"
    echo "| --- | ---: | ---: |"
    echo "| STOW-RS, 500-instance CT series ($(f "$(echo "$SERIES_BYTES / 1000000" | bc -l)" 0) MB), instances/s | $(f "${R[vna,stow_series]}") ($(f "${R[vna,stow_series_mb]}" 0) MB/s) | $(f "${R[orthanc,stow_series]}") ($(f "${R[orthanc,stow_series_mb]}" 0) MB/s) |"
    echo "| STOW-RS, 10,000 one-instance studies ($(f "$(echo "$SMALL_BYTES / 1000000" | bc -l)" 0) MB), instances/s | $(f "${R[vna,stow_small]}") | $(f "${R[orthanc,stow_small]}") |"
    for i in "${!QUERIES[@]}"; do
        echo "| QIDO-RS \`studies?${QUERIES[$i]}\` on 10,001 studies, ms median (p95) [matches] | ${R[vna,q$i]} (${R[vna,q${i}p95]}) [${R[vna,q${i}n]}] | ${R[orthanc,q$i]} (${R[orthanc,q${i}p95]}) [${R[orthanc,q${i}n]}] |"
    done
    echo "| WADO-RS series metadata, 500 instances, ms: first call / median [objects] | ${R[vna,meta_first]} / ${R[vna,meta]} [${R[vna,meta_n]}] | ${R[orthanc,meta_first]} / ${R[orthanc,meta]} [${R[orthanc,meta_n]}] |"
    echo "| WADO-RS retrieve of the series ($(f "$(echo "${R[vna,wado_bytes]} / 1000000" | bc -l)" 0) MB multipart), MB/s best (runs) | ${R[vna,wado]} (${R[vna,wado_all]}) | ${R[orthanc,wado]} (${R[orthanc,wado_all]}) |"
} | tee "$REPORT"
log "report: $REPORT (logs in $WORK)"
