#!/usr/bin/env bash
# tests/bench/qr-find.sh — C-FIND study-level latency on an index of N studies (default 10,000), through the running
# archive (Vna.Server's DIMSE listener, findscu as the client, TCP_NODELAY=1) and in process (FindService alone).
#   tests/bench/qr-find.sh [STUDIES] [RUNS]
# Per query: "whole process" = median wall time of one findscu (start-up, association, query, release); "in association"
# = (median T(--repeat n+1) - median T(--repeat 1)) / n, the server's cost per query on an open association (n = 50, 10 for
# one month, 2 for the 5,000-match query).
# Needs: dotnet, dcmtk (findscu), PostgreSQL (deploy/local/pg start, or VNA_BENCH_PG). Ports 41240-41243.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
studies="${1:-10000}"
runs="${2:-5}"
out="$root/tests/bench/out"
mkdir -p "$out"
work="$(mktemp -d /tmp/vna-qr-find.XXXXXX)"
export TCP_NODELAY=1

dotnet build -c Release -v q --nologo "$root/tests/bench/qr-find/Vna.Bench.QrFind.csproj" >/dev/null
dotnet build -c Release -v q --nologo "$root/src/Vna.Server/Vna.Server.csproj" >/dev/null
bench="dotnet $root/tests/bench/qr-find/bin/Release/net10.0/vna-bench-qr-find.dll"

$bench seed --studies "$studies" > "$work/seed.env"
# shellcheck disable=SC1091
source "$work/seed.env"

server_pid=""
cleanup() {
    [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
    $bench drop --name "$DB_NAME" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

(
    cd "$work"
    exec env VNA_Vna__Postgres="$DB_CS" VNA_Vna__DataDirectory="$work/data" VNA_Vna__HttpUrl="http://127.0.0.1:41240" \
        VNA_Vna__DimsePort=41241 VNA_Vna__SiloPort=41242 VNA_Vna__GatewayPort=41243 VNA_Vna__ClusterId="qrbench-$$" \
        VNA_Archive__Departments__0__Name=bench VNA_Archive__Departments__0__AeTitles__0=FINDSCU \
        VNA_Logging__LogLevel__Default=Warning \
        dotnet "$root/src/Vna.Server/bin/Release/net10.0/Vna.Server.dll" > "$work/server.log" 2>&1
) &
server_pid=$!
for _ in $(seq 1 900); do
    curl -sf http://127.0.0.1:41240/health >/dev/null 2>&1 && break
    sleep 0.2
done
echoscu -aet FINDSCU -aec VNA 127.0.0.1 41241 || { tail -20 "$work/server.log"; exit 1; }

keys=(-k QueryRetrieveLevel=STUDY -k PatientName -k PatientID -k PatientBirthDate -k StudyInstanceUID -k StudyDate
      -k StudyTime -k AccessionNumber -k StudyDescription -k ModalitiesInStudy -k NumberOfStudyRelatedSeries
      -k NumberOfStudyRelatedInstances)

# Median wall time in ms of RUNS runs of findscu with the given repeat count and filter.
median_ms() {
    local repeat="$1" filter="$2" times=()
    for _ in $(seq 1 "$runs"); do
        local start end
        start=$(date +%s%N)
        findscu -S -aet FINDSCU -aec VNA --repeat "$repeat" "${keys[@]}" -k "$filter" 127.0.0.1 41241 >/dev/null 2>&1
        end=$(date +%s%N)
        times+=($(( (end - start) / 1000 )))
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.2f", a[int((NR+1)/2)]/1000}'
}

matches() {
    findscu -S -aet FINDSCU -aec VNA "${keys[@]}" -k "$1" 127.0.0.1 41241 -v 2>&1 | grep -c "Find Response:.*(Pending)" || true
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| query | matches | whole process ms | in association ms |"
echo "| --- | --- | --- | --- |"
while IFS='|' read -r label filter extra; do
    m=$(matches "$filter")
    one=$(median_ms 1 "$filter")
    many=$(median_ms $((extra + 1)) "$filter")
    per=$(awk -v a="$one" -v b="$many" -v n="$extra" 'BEGIN {printf "%.2f", (b - a) / n}')
    echo "| $label | $m | $one | $per |"
done <<EOF2
exact Patient ID|PatientID=$PATIENT_ID|50
Study Instance UID|StudyInstanceUID=$STUDY_UID|50
name wildcard|PatientName=$NAME_PATTERN|50
one day|StudyDate=$ONE_DAY|50
one month|StudyDate=$ONE_MONTH|10
Modality CT|ModalitiesInStudy=CT|2
EOF2
echo
echo "In process (FindService over the index, responses encoded, no network):"
$bench measure --db "$DB_CS" --repeat 30 --patient-id "$PATIENT_ID" --study-uid "$STUDY_UID" --name "$NAME_PATTERN" --day "$ONE_DAY" --month "$ONE_MONTH"
echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
