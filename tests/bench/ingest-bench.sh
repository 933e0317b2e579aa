#!/usr/bin/env bash
# tests/bench/ingest-bench.sh — whole-system ingest: 1,000 synthetic 512×512 CT instances sent to a fresh Vna server
# over HTTP (POST /api/instances, the path `vna import --server` takes), with N parallel senders, beside two disk
# baselines on the same run: `cp -r` + `sync`, and a per-file durable copy (write, fsync, rename, fsync folder: the hot
# tier's own protocol). Prints a Markdown report and keeps it in tests/bench/out/ingest-<UTC time>.md (gitignored).
#
# Usage: tests/bench/ingest-bench.sh            (from any folder; root or not)
#
# What it does, in order: waits (bounded) for a quiet machine; generates the data set once with gen-ct.py into
# tests/bench/out/ingest-ct/ (4 studies × 250 instances, reused when present); `deploy/local/pg start` (reuses a server
# already answering on the port, stops only one it started itself); builds Vna.Server (and Vna.Cli) in Release into
# tests/bench/out/artifacts/ (isolated from the tree's bin/ and obj/); then for each N: a fresh database
# vna_bench_ingest_<random> and data folder, the server started on free ports, the import timed, the rows counted, the
# server stopped with SIGTERM by PID, the database dropped and the data folder deleted.
#
# Environment (all optional):
#   PARALLEL="1 4 8"            the numbers of parallel senders
#   VNA_BENCH_CLIENT=auto       vna | curl | auto (vna when `vna import --help` offers --server, else curl)
#   VNA_BENCH_OUT=DIR           output folder (default tests/bench/out)
#   VNA_BENCH_DATA=DIR          the files to import (default: DIR/ingest-ct, generated when missing)
#   VNA_GEN_CT=FILE             gen-ct.py (default ../shared/tools/dicom/gen-ct.py beside the repository)
#   VNA_BENCH_KEEP=1            keep the server data folders and databases
#   QUIET_BUSY=25 QUIET_WAIT=300  first wait up to QUIET_WAIT s until the CPUs are at most QUIET_BUSY % busy (recorded)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="${VNA_BENCH_OUT:-$HERE/out}"
DATA="${VNA_BENCH_DATA:-$OUT/ingest-ct}"
GEN_CT="${VNA_GEN_CT:-$ROOT/../shared/tools/dicom/gen-ct.py}"
PARALLEL="${PARALLEL:-1 4 8}"
CLIENT="${VNA_BENCH_CLIENT:-auto}"
ARTIFACTS="$OUT/artifacts"
TS=$(date -u +%Y%m%dT%H%M%SZ)
WORK="$OUT/ingest-$TS"
REPORT="$OUT/ingest-$TS.md"
PG="$ROOT/deploy/local/pg"
mkdir -p "$OUT" "$WORK"

log() { printf 'ingest-bench: %s\n' "$*" >&2; }

# --- cleanup: only what this script started ----------------------------------------------------------------------
SERVER_PID=""
PG_STARTED=0
DBS_TO_DROP=()
cleanup() {
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    if [[ "${VNA_BENCH_KEEP:-0}" != 1 ]]; then
        local db
        for db in "${DBS_TO_DROP[@]}"; do
            "$PG" psql -q -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
        done
    fi
    if (( PG_STARTED )); then
        "$PG" stop >/dev/null 2>&1 || true
    fi
}
trap cleanup EXIT

cpu_ticks() { # "busy total" jiffies of all CPUs
    local c u n s i w q sq st rest
    read -r c u n s i w q sq st rest < /proc/stat
    echo "$((u + n + s + q + sq + st)) $((u + n + s + i + w + q + sq + st))"
}
cpu_busy_1s() {
    local a b
    read -r -a a <<<"$(cpu_ticks)"; sleep 1; read -r -a b <<<"$(cpu_ticks)"
    echo $(( (b[1] - a[1]) > 0 ? 100 * (b[0] - a[0]) / (b[1] - a[1]) : 0 ))
}
proc_cpu_s() { # utime + stime of a process, in seconds
    awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / hz }' "/proc/$1/stat"
}
now() { date +%s.%N; }
free_port() { /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# --- a quiet machine, as far as we can wait for one --------------------------------------------------------------
waited=0
busy=$(cpu_busy_1s)
while (( busy > ${QUIET_BUSY:-25} && waited < ${QUIET_WAIT:-300} )); do
    sleep 4; waited=$((waited + 5)); busy=$(cpu_busy_1s)
done
log "CPUs ${busy} % busy after waiting ${waited} s"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"

# --- the data set ------------------------------------------------------------------------------------------------
count_dcm() { find "$1" -type f -name '*.dcm' 2>/dev/null | wc -l; }
if [[ "$(count_dcm "$DATA")" -ne 1000 ]]; then
    [[ -f "$GEN_CT" ]] || { log "gen-ct.py not found at $GEN_CT (set VNA_GEN_CT)"; exit 1; }
    log "generating 4 studies × 250 instances into $DATA"
    rm -rf "$DATA.tmp"
    /usr/bin/python3 "$GEN_CT" --out "$DATA.tmp" --studies 4 --instances 250 --seed 20261128 -q
    rm -rf "$DATA"
    mv "$DATA.tmp" "$DATA"
fi
FILES=$(count_dcm "$DATA")
BYTES=$(find "$DATA" -type f -name '*.dcm' -printf '%s\n' | awk '{ s += $1 } END { print s }')
LIST="$WORK/files.list0"
find "$DATA" -type f -name '*.dcm' -print0 | sort -z > "$LIST"
log "$FILES files, $BYTES bytes"

# --- PostgreSQL --------------------------------------------------------------------------------------------------
if ! "$PG" status >/dev/null 2>&1; then
    PG_STARTED=1
fi
PG_CS="$("$PG" start | grep '^Host=' | tail -1)"
[[ -n "$PG_CS" ]] || { log "deploy/local/pg start printed no connection string"; exit 1; }
PG_SETTINGS="$("$PG" psql -Atc "SELECT string_agg(name || '=' || setting || coalesce(unit, ''), ', ' ORDER BY name) FROM pg_settings WHERE name IN ('server_version', 'fsync', 'synchronous_commit', 'wal_sync_method')")"

# --- builds (Release, outside the tree's bin/obj so concurrent builds there are not disturbed) ----------------------
log "building Vna.Server and Vna.Cli (Release) into $ARTIFACTS"
dotnet build "$ROOT/src/Vna.Server/Vna.Server.csproj" -c Release --artifacts-path "$ARTIFACTS" -nologo -v q > "$WORK/build.log" 2>&1 \
    || { tail -20 "$WORK/build.log" >&2; exit 1; }
SERVER_DLL="$ARTIFACTS/bin/Vna.Server/release/Vna.Server.dll"
CLI_DLL="$ARTIFACTS/bin/Vna.Cli/release/vna.dll"
if [[ "$CLIENT" != curl ]]; then
    dotnet build "$ROOT/src/Vna.Cli/Vna.Cli.csproj" -c Release --artifacts-path "$ARTIFACTS" -nologo -v q >> "$WORK/build.log" 2>&1 \
        || { [[ "$CLIENT" == vna ]] && { tail -20 "$WORK/build.log" >&2; exit 1; }; log "Vna.Cli does not build: using curl"; }
fi
if [[ "$CLIENT" == auto ]]; then
    if [[ -f "$CLI_DLL" ]] && dotnet "$CLI_DLL" import --help 2>/dev/null | grep -q -- '--server'; then CLIENT=vna; else CLIENT=curl; fi
fi
log "client: $CLIENT"

# --- senders -----------------------------------------------------------------------------------------------------
# curl: each invocation posts 25 files one after another on one keep-alive connection (--next); N invocations at a time.
post_files() {
    local args=() f
    for f in "$@"; do
        [[ ${#args[@]} -gt 0 ]] && args+=(--next)
        args+=(-sS -o /dev/null -w '%{http_code}\n' -H 'Content-Type: application/dicom' -H 'Expect:' --data-binary "@$f" "$VNA_BENCH_URL/api/instances")
    done
    curl "${args[@]}"
}
export -f post_files

send() { # N URL LOGFILE: exit status 0 when every file was accepted
    local n="$1" url="$2" logfile="$3"
    if [[ "$CLIENT" == vna ]]; then
        dotnet "$CLI_DLL" import "$DATA" --server "$url" --parallel "$n" --plain > "$logfile" 2>&1
    else
        VNA_BENCH_URL="$url" xargs -0 -n 25 -P "$n" bash -c 'post_files "$@"' _ < "$LIST" > "$logfile" 2>&1 || true
        [[ "$(grep -c '^200$' "$logfile")" -eq "$FILES" ]]
    fi
}

# --- baselines ---------------------------------------------------------------------------------------------------
ROWS=()
row() { ROWS+=("$1"); }
rate() { # SECONDS -> "instances/s | MB/s"
    awk -v t="$1" -v f="$FILES" -v b="$BYTES" 'BEGIN { printf "%.0f | %.1f", f / t, b / 1e6 / t }'
}

baseline_cp() {
    local dest="$WORK/cp-copy" t0 t1 a b
    rm -rf "$dest"; sync
    read -r -a a <<<"$(cpu_ticks)"; t0=$(now)
    cp -r "$DATA" "$dest" && sync
    t1=$(now); read -r -a b <<<"$(cpu_ticks)"
    local s; s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
    row "| \`cp -r\` + \`sync\` ($1) | 1 | $s | $(rate "$s") | – | $(( 100 * (b[0] - a[0]) / (b[1] - a[1]) )) | – | – |"
    rm -rf "$dest"
}

baseline_fsync() { # N: the hot tier's protocol per file (tmp write, fsync, rename, fsync folder), N threads
    local n="$1" dest="$WORK/fsync-copy" t0 t1 a b
    rm -rf "$dest"; mkdir -p "$dest/tmp"; sync
    read -r -a a <<<"$(cpu_ticks)"; t0=$(now)
    /usr/bin/python3 - "$LIST" "$dest" "$n" <<'PY'
import os, sys
from concurrent.futures import ThreadPoolExecutor
paths = [p for p in open(sys.argv[1], 'rb').read().split(b'\0') if p]
dest, n = sys.argv[2].encode(), int(sys.argv[3])
made = set()
def copy(i_path):
    i, path = i_path
    data = open(path, 'rb').read()
    folder = os.path.join(dest, os.path.basename(os.path.dirname(path)))
    if folder not in made:
        os.makedirs(folder, exist_ok=True); made.add(folder)
    tmp = os.path.join(dest, b'tmp', b'%d' % i)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        os.write(fd, data); os.fsync(fd)
    finally:
        os.close(fd)
    os.rename(tmp, os.path.join(folder, os.path.basename(path)))
    dfd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)
with ThreadPoolExecutor(n) as pool:
    list(pool.map(copy, enumerate(paths)))
PY
    t1=$(now); read -r -a b <<<"$(cpu_ticks)"
    local s; s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
    row "| per-file durable copy (write, fsync, rename, fsync folder) | $n | $s | $(rate "$s") | – | $(( 100 * (b[0] - a[0]) / (b[1] - a[1]) )) | – | – |"
    rm -rf "$dest"
}

# --- one import ------------------------------------------------------------------------------------------------
import_once() { # N
    local n="$1" db="vna_bench_ingest_$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    local dir="$WORK/n$n" http silo gateway url cs
    mkdir -p "$dir"
    "$PG" psql -q -c "CREATE DATABASE $db" >/dev/null
    DBS_TO_DROP+=("$db")
    http=$(free_port); silo=$(free_port); gateway=$(free_port)
    url="http://127.0.0.1:$http"
    cs="$(sed -e "s/Database=[^;]*/Database=$db/" <<<"$PG_CS")"

    (cd "$dir" && exec env VNA_Vna__DataDirectory="$dir/data" VNA_Vna__Postgres="$cs" VNA_Vna__HttpUrl="$url" \
        VNA_Vna__SiloPort="$silo" VNA_Vna__GatewayPort="$gateway" VNA_Vna__ClusterId="$db" \
        dotnet "$SERVER_DLL" > "$dir/server.log" 2>&1) &
    SERVER_PID=$!
    local waited=0
    until curl -fsS -o /dev/null "$url/health" 2>/dev/null; do
        kill -0 "$SERVER_PID" 2>/dev/null || { log "the server exited at start:"; tail -20 "$dir/server.log" >&2; exit 1; }
        (( waited++ < 1200 )) || { log "the server did not answer /health within 120 s"; exit 1; }
        sleep 0.1
    done
    # `exec` above: SERVER_PID is the dotnet process itself.

    local cpu0 cpu1 t0 t1 a b ok=1
    sync
    cpu0=$(proc_cpu_s "$SERVER_PID"); read -r -a a <<<"$(cpu_ticks)"; t0=$(now)
    send "$n" "$url" "$dir/client.log" || ok=0
    t1=$(now); read -r -a b <<<"$(cpu_ticks)"; cpu1=$(proc_cpu_s "$SERVER_PID")
    local rows
    rows=$("$PG" psql -At -d "$db" -c "SELECT count(*) FROM instance" 2>/dev/null || echo "?")

    kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
    local s; s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
    local server_cpu; server_cpu=$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN { printf "%.1f", b - a }')
    local accepted
    if [[ "$CLIENT" == curl ]]; then accepted="$(grep -c '^200$' "$dir/client.log" || true)"; else accepted=$([[ $ok == 1 ]] && echo "$FILES" || echo "exit≠0"); fi
    row "| Vna: \`$([[ $CLIENT == vna ]] && echo "vna import --parallel $n" || echo "curl ×$n")\` → POST /api/instances | $n | $s | $(rate "$s") | $server_cpu | $(( 100 * (b[0] - a[0]) / (b[1] - a[1]) )) | $accepted | $rows |"
    log "N=$n: $s s, $accepted accepted, $rows rows, server CPU $server_cpu s"
    (( ok )) || log "N=$n: not every file was accepted (see $dir/client.log)"
    if [[ "${VNA_BENCH_KEEP:-0}" != 1 ]]; then
        "$PG" psql -q -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
        rm -rf "$dir/data"
    fi
}

baseline_cp "before"
for n in $PARALLEL; do
    baseline_fsync "$n"
    import_once "$n"
done
baseline_cp "after"
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

{
    echo "## Ingest benchmark — $TS"
    echo
    echo "- machine: $(nproc) CPUs, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(free -g | awk '/^Mem:/ { print $2 " GB RAM" }'), disk $(df -h --output=source,fstype "$OUT" | tail -1 | tr -s ' ')"
    echo "- load average (1/5/15 min): $LOAD_BEFORE before, $LOAD_AFTER after; CPUs ${busy} % busy (1 s) at the start after waiting ${waited} s for a quiet machine"
    echo "- data: $FILES files, $BYTES bytes ($(awk -v b="$BYTES" -v f="$FILES" 'BEGIN { printf "%.0f", b / f }') bytes each), gen-ct.py 4 studies × 250 CT 512×512, page cache warm"
    echo "- PostgreSQL: $PG_SETTINGS; server: Vna.Server Release, fresh database and data folder per row; client: $CLIENT"
    echo
    echo "| what | parallel | s | instances/s | MB/s | server CPU s | machine CPU % | accepted | index rows |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    printf '%s\n' "${ROWS[@]}"
    echo
    echo "MB = 10⁶ bytes. \"server CPU s\": user + system time of the Vna.Server process during the import (PostgreSQL"
    echo "and the senders excluded); \"machine CPU %\": all CPUs, everything running, over the timed interval."
} | tee "$REPORT"
log "report: $REPORT"
