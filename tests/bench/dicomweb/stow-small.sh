#!/usr/bin/env bash
# tests/bench/dicomweb/stow-small.sh — the ingest of one-instance studies alone, for profiling (no Orthanc): a fresh
# Vna.Server (Release) on a fresh database, WARM bodies posted untimed (JIT and tiering settle), then N bodies of 25
# one-instance 64×64 CT studies (made by ../dicomweb.sh in tests/bench/out/dicomweb-data/small-bodies) posted PARALLEL at a
# time by curl. Prints instances/s, the server's CPU per instance (its /proc stat) and PostgreSQL's (every postgres process
# of the machine: on a shared server other databases' work counts too), and the load average.
#
# Usage: tests/bench/dicomweb/stow-small.sh
# Environment: N=80 WARM=120 PARALLEL=4 PORT_BASE=43000 (HTTP base, silo +1, gateway +2, DIMSE +3)
#   ART=DIR     a Vna.Server build to use (--artifacts-path of `dotnet build`), e.g. one of another commit, for A/B runs
#   NOBUILD=1   do not build ART first
#   PERF=1      record `perf record -g` of the server during the timed part into $OUT/perf.data (JIT symbols via perf maps)
#   PG_CS       connection string of a PostgreSQL where the role may CREATE DATABASE (default: deploy/local/pg start)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
N=${N:-80} WARM=${WARM:-120} PARALLEL=${PARALLEL:-4} PORT_BASE=${PORT_BASE:-43000}
OUT="$ROOT/tests/bench/out/stow-small"
DATA="$ROOT/tests/bench/out/dicomweb-data/small-bodies"
ART=${ART:-$OUT/artifacts}
[[ -d "$DATA" ]] || { echo "no STOW bodies in $DATA: run tests/bench/dicomweb.sh once" >&2; exit 1; }
mkdir -p "$OUT"
PG_CS=${PG_CS:-$("$ROOT/deploy/local/pg" start | tail -n 1)}
if [[ "${NOBUILD:-0}" != 1 ]]; then dotnet build "$ROOT/src/Vna.Server" -c Release --artifacts-path "$ART" -nologo -v quiet >/dev/null; fi
DLL=$(find "$ART/bin/Vna.Server" -name Vna.Server.dll -path '*release*' | head -1)
DB=vna_stow_small_$(date +%s)
ADMIN="$(echo "$PG_CS" | sed 's/Database=[^;]*/Database=postgres/')"
npg() { local cs=$1; shift; PGPASSWORD=$(echo "$cs" | sed -n 's/.*Password=\([^;]*\).*/\1/p') psql -qAt \
    -h "$(echo "$cs" | sed -n 's/.*Host=\([^;]*\).*/\1/p')" -p "$(echo "$cs" | sed -n 's/.*Port=\([^;]*\).*/\1/p')" \
    -U "$(echo "$cs" | sed -n 's/.*Username=\([^;]*\).*/\1/p')" -d "$(echo "$cs" | sed -n 's/.*Database=\([^;]*\).*/\1/p')" "$@"; }
npg "$ADMIN" -c "CREATE DATABASE $DB"
WORK=$(mktemp -d "$OUT/run-XXXXXX")
URL=http://127.0.0.1:$PORT_BASE
(
    cd "$WORK"
    export VNA_Vna__Postgres="$(echo "$PG_CS" | sed "s/Database=[^;]*/Database=$DB/")"
    export VNA_Vna__DataDirectory="$WORK/data" VNA_Vna__HttpUrl=$URL VNA_Vna__ClusterId="stow-small-$DB"
    export VNA_Vna__SiloPort=$((PORT_BASE + 1)) VNA_Vna__GatewayPort=$((PORT_BASE + 2)) VNA_Vna__DimsePort=$((PORT_BASE + 3))
    export VNA_Logging__LogLevel__Default=Warning VNA_Tiers__Enabled=false VNA_Dimse__Enabled=false
    [[ "${PERF:-0}" == 1 ]] && export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0
    exec dotnet "$DLL" >"$WORK/vna.log" 2>&1
) &
PID=$!
cleanup() { kill -TERM "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; npg "$ADMIN" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1; rm -rf "$WORK"; }
trap cleanup EXIT
for _ in $(seq 1 240); do curl -sf -o /dev/null "$URL/health" && break; sleep 0.5; done
post() { xargs -P "$PARALLEL" -I{} sh -c 'c=$(curl -s -o /dev/null -w "%{http_code}" -H "Accept: application/dicom+json" -H "Content-Type: multipart/related; type=\"application/dicom\"; boundary=vnabenchboundary" --data-binary @'"$DATA"'/{} '"$URL"'/dicomweb/studies); [ "$c" = 200 ] || echo "{} -> $c" >&2'; }
ls "$DATA" | tail -n "$WARM" | post
cpu() { awk '{ print $14 + $15 + $16 + $17 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
pgcpu() { local t=0 p; for p in $(pgrep -x postgres); do t=$((t + $(cpu "$p"))); done; echo "$t"; }
s0=$(cpu "$PID") p0=$(pgcpu) load0=$(cut -d' ' -f1-3 /proc/loadavg)
[[ "${PERF:-0}" == 1 ]] && { perf record -F 499 -g -p "$PID" -o "$OUT/perf.data" >/dev/null 2>&1 & PERF_PID=$!; sleep 1; }
start=$(date +%s.%N)
ls "$DATA" | head -n "$N" | post
end=$(date +%s.%N)
[[ "${PERF:-0}" == 1 ]] && { kill -INT "$PERF_PID"; wait "$PERF_PID" || true; }
s1=$(cpu "$PID") p1=$(pgcpu) n=$((N * 25)) hz=$(getconf CLK_TCK)
echo "instances=$n seconds=$(echo "$end - $start" | bc -l | cut -c1-6) inst/s=$(echo "$n / ($end - $start)" | bc -l | cut -c1-6)" \
    "server-cpu-ms/inst=$(echo "($s1 - $s0) * 1000 / $hz / $n" | bc -l | cut -c1-5) postgres-cpu-ms/inst=$(echo "($p1 - $p0) * 1000 / $hz / $n" | bc -l | cut -c1-5)" \
    "load before: $load0 after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "indexed: $(npg "$(echo "$PG_CS" | sed "s/Database=[^;]*/Database=$DB/")" -c 'SELECT count(*) FROM instance')"
