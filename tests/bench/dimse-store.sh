#!/usr/bin/env bash
# tests/bench/dimse-store.sh — C-STORE ingest, whole system, side by side in one run: the same files sent by DCMTK
# storescu (TCP_NODELAY=1) and by `vna store` to (a) the Vna archive (Vna.Server's DIMSE listener: fsync + index + study
# grain before each success), (b) DCMTK storescp writing files (no fsync) and (c) Orthanc (Debian package, default
# SQLite index, SyncStorageArea = fsync per file). Every receiver is fresh for every run (new database / folder); runs
# are interleaved (run 1 of every cell, then run 2...). Prints a Markdown report (instances/s and MB/s, medians of RUNS,
# the load before a cell's first run and after its last; at the end, the disk's flush floor and what it leaves a durable
# receiver on one association) and keeps it in tests/bench/out/.
#
# Usage: tests/bench/dimse-store.sh [RUNS]          (default 3; needs root for the network namespace)
#
# Data (generated once into tests/bench/out/dimse-store-data/, reused): 1000 CT instances from gen-ct.py (10 studies x 100,
# 512x512, ~526 MB) and one multi-frame object (Multi-frame Grayscale Word SC, 200 frames of 512x512, ~105 MB).
# Everything runs inside one loopback-only network namespace (deploy/local/netns-run): storescp and Orthanc cannot bind a
# single address. PostgreSQL (VNA_TEST_PG, default the test server on 127.0.0.1:55432) is reached through its Unix socket.
# Ports 41400-41499 (each Vna server its own silo and gateway ports from 41420 up: a stopped silo's port can stay in
# TIME_WAIT). Environment: PARALLEL="1 4" (associations), TARGETS="vna storescp storescp_fsync orthanc" (receivers;
# storescp_fsync is storescp made durable by tests/bench/fsync-on-close.c, an LD_PRELOAD shim: fsync of each received
# file and of its folder before it is closed — the floor for any receiver that answers only once the object is durable),
# SETS="ct big"
# (the 1000 CT instances, the multi-frame object), CLIENTS="storescu vna" (senders), WARMUP=N
# (send the first N of 3,000 instances of 30 other studies to each fresh receiver, untimed, before the timed transfer: a
# server that has run for a while rather than one just started; default 0), VNA_GEN_CT (gen-ct.py).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="${VNA_BENCH_OUT:-$HERE/out}"
DATA="$OUT/dimse-store-data"
ARTIFACTS="$OUT/artifacts-dimse"
RUNS="${1:-3}"
PARALLEL="${PARALLEL:-1 4}"
PG_CS="${VNA_TEST_PG:-Host=127.0.0.1;Port=55432;Database=vna;Username=vna;Password=vna}"
log() { printf 'dimse-store: %s\n' "$*" >&2; }

if [[ "${VNA_IN_NETNS:-}" != 1 ]]; then
    # --- outside: data, builds, the PostgreSQL socket; then run this script again inside a fresh namespace ------------
    mkdir -p "$OUT"
    GEN_CT="${VNA_GEN_CT:-$ROOT/../shared/tools/dicom/gen-ct.py}"
    if [[ ! -f "$DATA/ct.done" ]]; then
        log "generating the CT set into $DATA/ct"
        rm -rf "$DATA/ct"; mkdir -p "$DATA"
        /usr/bin/python3 "$GEN_CT" --out "$DATA/ct" --studies 10 --instances 100 -q
        touch "$DATA/ct.done"
    fi
    if [[ ! -f "$DATA/warmup-3000.done" ]]; then
        # 3,000 instances of 30 other studies: enough for a server to reach its steady state (see WARMUP above).
        rm -rf "$DATA/warmup" "$DATA/warmup.done"
        /usr/bin/python3 "$GEN_CT" --out "$DATA/warmup" --studies 30 --instances 100 --seed 11 -q
        touch "$DATA/warmup-3000.done"
    fi
    if [[ ! -f "$DATA/multiframe.dcm" ]]; then
        rm -rf "$DATA/big-src"
        /usr/bin/python3 "$GEN_CT" --out "$DATA/big-src" --studies 1 --instances 1 --seed 7 -q
        /usr/bin/python3 - "$(find "$DATA/big-src" -type f | head -1)" "$DATA/multiframe.dcm" <<'PY'
import sys
import numpy as np
import pydicom
ds = pydicom.dcmread(sys.argv[1])
pixels = ds.pixel_array
frames = np.stack([np.roll(pixels, i, axis=1) for i in range(200)])
ds.SOPClassUID = ds.file_meta.MediaStorageSOPClassUID = '1.2.840.10008.5.1.4.1.1.7.3'
ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID = '2.25.' + str(int.from_bytes(b'vna-dimse-multiframe', 'big'))
ds.NumberOfFrames = 200
ds.PixelData = frames.astype(pixels.dtype).tobytes()
ds.save_as(sys.argv[2], write_like_original=False)
PY
        rm -rf "$DATA/big-src"
    fi
    cc -O2 -shared -fPIC -o "$OUT/fsync-on-close.so" "$HERE/fsync-on-close.c" -ldl || { log "cannot build the fsync shim (cc)"; exit 1; }
    log "building Vna.Server and Vna.Cli (Release) into $ARTIFACTS"
    for p in Vna.Server Vna.Cli; do
        dotnet build "$ROOT/src/$p/$p.csproj" -c Release --artifacts-path "$ARTIFACTS" -nologo -v q > "$OUT/dimse-store-build.log" 2>&1 \
            || { tail -20 "$OUT/dimse-store-build.log" >&2; exit 1; }
    done
    port=$(sed -n 's/.*Port=\([0-9]*\).*/\1/p' <<<"$PG_CS")
    socket=$(awk -v n=".s.PGSQL.$port" '$NF ~ "/" n "$" {print $NF; exit}' /proc/net/unix)
    [[ -n "$socket" ]] || { log "PostgreSQL on port $port has no Unix socket (start it: deploy/local/pg start)"; exit 1; }
    export VNA_BENCH_PGHOST="$(dirname "$socket")" VNA_BENCH_PGPORT="$port"
    exec "$ROOT/deploy/local/netns-run" "$0" "$@"
fi

# --- inside the namespace ------------------------------------------------------------------------------------------
SERVER_DLL="$ARTIFACTS/bin/Vna.Server/release/Vna.Server.dll"
CLI_DLL="$ARTIFACTS/bin/Vna.Cli/release/vna.dll"
PGUSER=$(sed -n 's/.*Username=\([^;]*\).*/\1/p' <<<"$PG_CS"); PGPASSWORD=$(sed -n 's/.*Password=\([^;]*\).*/\1/p' <<<"$PG_CS")
export PGUSER PGPASSWORD PGHOST="$VNA_BENCH_PGHOST" PGPORT="$VNA_BENCH_PGPORT"
TS=$(date -u +%Y%m%dT%H%M%SZ)
WORK="$(mktemp -d /tmp/vna-dimse-store.XXXXXX)"
REPORT="$OUT/dimse-store-$TS.md"
mapfile -t CT < <(find "$DATA/ct" -type f -name '*.dcm' | sort)
[[ ${#CT[@]} -gt 0 ]] || mapfile -t CT < <(find "$DATA/ct" -type f | sort)
FILES=${#CT[@]}
BYTES=$(du -cb "${CT[@]}" | tail -1 | cut -f1)
mapfile -t WARM < <(find "$DATA/warmup" -type f -name '*.dcm' | sort)
[[ ${#WARM[@]} -gt 0 ]] || mapfile -t WARM < <(find "$DATA/warmup" -type f | sort)
WARMUP="${WARMUP:-0}"
BIG="$DATA/multiframe.dcm"
BIG_BYTES=$(stat -c %s "$BIG")
SERVER_PID=""; DB=""; DBS=(); SEQ=0
# Nothing a run writes is deleted before the end: this machine's ext4 has no journal, and there every file created
# within a minute or more of many deletions pays for them (the inode allocator skips each recently freed inode: 0.3 to
# 0.9 ms per create measured here, against ~30 us in a fresh folder). Deleting one receiver's 1,000 files before the
# next run would tax whichever receiver comes next (and deleting them also spares the disk their write-back, which a
# real archive never is). Each run gets a new folder (and database); all go when the script exits; and each timed run
# starts after `sync`, so that no run inherits another's write-back.
stop_server() {
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; fi
    SERVER_PID=""
    DB=""
}
drop_databases() { local d; for d in "${DBS[@]}"; do psql -d postgres -qc "DROP DATABASE IF EXISTS $d WITH (FORCE)" >/dev/null 2>&1 || true; done; }
trap 'stop_server; drop_databases; rm -rf "$WORK"' EXIT
now() { date +%s.%N; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

# start_TARGET: a fresh receiver; sets AE and PORT. count_TARGET: instances it holds.
start_vna() {
    DB="vna_bench_dimse_$$_$RANDOM"; DBS+=("$DB"); SEQ=$((SEQ + 1)); VNA_DIR="$WORK/vna-$SEQ"
    psql -d postgres -qc "CREATE DATABASE $DB" >/dev/null
    mkdir -p "$VNA_DIR"
    # The server runs with the runtime settings of deploy/local/run (deploy/local/lib/server.sh, vna_runtime_env).
    (cd "$VNA_DIR" && exec env DOTNET_TC_CallCountingDelayMs="${DOTNET_TC_CallCountingDelayMs:-0}" VNA_Vna__Postgres="Host=$PGHOST;Port=$PGPORT;Database=$DB;Username=$PGUSER;Password=$PGPASSWORD" \
        VNA_Vna__DataDirectory="$VNA_DIR/data" VNA_Vna__HttpUrl="http://127.0.0.1:41400" VNA_Vna__DimsePort=41401 \
        VNA_Vna__SiloPort=$((41420 + 2 * (SEQ % 40))) VNA_Vna__GatewayPort=$((41421 + 2 * (SEQ % 40))) VNA_Vna__ClusterId="dimsebench-$$-$RANDOM" \
        VNA_Archive__Departments__0__Name=bench VNA_Archive__Departments__0__AeTitles__0=STORESCU \
        VNA_Archive__Departments__0__AeTitles__1=VNACLI VNA_Logging__LogLevel__Default=Warning \
        dotnet "$SERVER_DLL" > "$VNA_DIR/server.log" 2>&1) &
    SERVER_PID=$!
    for _ in $(seq 1 600); do curl -sf http://127.0.0.1:41400/health >/dev/null 2>&1 && break; sleep 0.2; done
    AE=VNA; PORT=41401
    echoscu -aet STORESCU -aec VNA 127.0.0.1 41401 || { tail -20 "$VNA_DIR/server.log" >&2; exit 1; }
}
count_vna() { psql -d "$DB" -Atc "SELECT count(*) FROM instance"; }

start_storescp() {
    SEQ=$((SEQ + 1)); SCP_DIR="$WORK/scp-$SEQ"; mkdir -p "$SCP_DIR"
    storescp --fork -aet STORESCP -od "$SCP_DIR" 41410 > "$WORK/scp.log" 2>&1 &
    SERVER_PID=$!
    AE=STORESCP; PORT=41410
    for _ in $(seq 1 100); do echoscu -aec STORESCP 127.0.0.1 41410 >/dev/null 2>&1 && break; sleep 0.1; done
}
count_storescp() { find "$SCP_DIR" -type f ! -name '*.tmp' | wc -l; }

# storescp with every received file and its folder fsync'd before it is closed (tests/bench/fsync-on-close.c).
start_storescp_fsync() {
    SEQ=$((SEQ + 1)); SCP_DIR="$WORK/scp-$SEQ"; mkdir -p "$SCP_DIR"
    LD_PRELOAD="$OUT/fsync-on-close.so" storescp --fork -aet STORESCP -od "$SCP_DIR" 41410 > "$WORK/scp.log" 2>&1 &
    SERVER_PID=$!
    AE=STORESCP; PORT=41410
    for _ in $(seq 1 100); do echoscu -aec STORESCP 127.0.0.1 41410 >/dev/null 2>&1 && break; sleep 0.1; done
}
count_storescp_fsync() { count_storescp; }

start_orthanc() {
    SEQ=$((SEQ + 1)); ORTHANC_DIR="$WORK/orthanc-$SEQ"; mkdir -p "$ORTHANC_DIR"
    cat > "$ORTHANC_DIR/orthanc.json" <<EOF
{ "Name": "bench", "StorageDirectory": "$ORTHANC_DIR/storage", "IndexDirectory": "$ORTHANC_DIR/index",
  "DicomAet": "ORTHANC", "DicomPort": 41411, "HttpPort": 41412, "RemoteAccessAllowed": false,
  "AuthenticationEnabled": false, "Plugins": [], "DicomCheckCalledAet": false }
EOF
    Orthanc "$ORTHANC_DIR/orthanc.json" > "$ORTHANC_DIR/orthanc.log" 2>&1 &
    SERVER_PID=$!
    AE=ORTHANC; PORT=41411
    for _ in $(seq 1 300); do curl -sf http://127.0.0.1:41412/system >/dev/null 2>&1 && break; sleep 0.1; done
}
count_orthanc() { curl -sf http://127.0.0.1:41412/statistics | sed -n 's/.*"CountInstances" *: *\([0-9]*\).*/\1/p'; }

# send CLIENT P FILES...: times the transfer; prints seconds.
send() {
    local client="$1" p="$2"; shift 2
    local files=("$@") t0 t1 i pids=()
    t0=$(now)
    if [[ "$client" == storescu ]]; then
        for ((i = 0; i < p; i++)); do
            local share=()
            local j; for ((j = i; j < ${#files[@]}; j += p)); do share+=("${files[j]}"); done
            storescu -aet STORESCU -aec "$AE" 127.0.0.1 "$PORT" "${share[@]}" >> "$WORK/client.log" 2>&1 &
            pids+=($!)
        done
        for i in "${pids[@]}"; do wait "$i" || echo "storescu exited non-zero" >> "$WORK/client.log"; done
    else
        dotnet "$CLI_DLL" store -j "$p" --aet VNACLI --aec "$AE" --port "$PORT" "${files[@]}" >> "$WORK/client.log" 2>&1 \
            || echo "vna store exited non-zero" >> "$WORK/client.log"
    fi
    t1=$(now)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}

median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

ROWS=()
declare -A TIMES LOAD_BEFORE LOAD_AFTER
# run_once TARGET CLIENT P SET(ct|big): one timed run on a fresh receiver; appends its seconds to TIMES[cell].
run_once() {
    local target="$1" client="$2" p="$3" set="$4" cell="$1 $2 $3 $4" t n expected files
    if [[ "$set" == ct ]]; then files=("${CT[@]}"); expected=$FILES; else files=("$BIG"); expected=1; fi
    [[ -n "${LOAD_BEFORE[$cell]:-}" ]] || LOAD_BEFORE[$cell]=$(load)
    "start_$target"
    if [[ "$WARMUP" -gt 0 ]]; then
        # Untimed: the receiver's first WARMUP instances of another study (JIT, first activations, first connections).
        send storescu 1 "${WARM[@]:0:$WARMUP}" > /dev/null
    fi
    sync # every timed run starts with nothing of earlier runs left to write back to the disk
    t=$(send "$client" "$p" "${files[@]}")
    n=$(( $("count_$target") - WARMUP ))
    stop_server
    [[ "$n" == "$expected" ]] || { log "$target/$client/P=$p/$set run $r: $n of $expected stored"; tail -5 "$WORK/client.log" >&2; }
    TIMES[$cell]="${TIMES[$cell]:-}$t "
    LOAD_AFTER[$cell]=$(load)
}

# row TARGET CLIENT P SET: the cell's median as a report row.
row() {
    local target="$1" client="$2" p="$3" set="$4" cell="$1 $2 $3 $4" expected bytes m r
    if [[ "$set" == ct ]]; then bytes=$BYTES; expected=$FILES; else bytes=$BIG_BYTES; expected=1; fi
    # shellcheck disable=SC2086 # the run times are a space-separated list
    m=$(median ${TIMES[$cell]})
    r=$(awk -v t="$m" -v f="$expected" -v b="$bytes" -v all="${TIMES[$cell]}" \
        'BEGIN { printf "%.0f | %.1f | %.2f [%s]", f / t, b / 1e6 / t, t, all }')
    ROWS+=("| $target | $client | $p | $set | $r | ${LOAD_BEFORE[$cell]} → ${LOAD_AFTER[$cell]} |")
    log "${ROWS[-1]}"
}

# What creating a file costs on this file system now (see above): context for the figures, kept in the report.
CREATE_US=$(/usr/bin/python3 -c '
import os, sys, time
d = sys.argv[1]; os.makedirs(d)
t = time.perf_counter()
for i in range(200):
    os.close(os.open(os.path.join(d, str(i)), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
print("%.0f" % ((time.perf_counter() - t) / 200 * 1e6))' "$WORK/create-probe")
log "load at start: $(load); creating a file: $CREATE_US µs; $FILES CT files ($BYTES bytes), multi-frame $BIG_BYTES bytes, $RUNS runs each"

# The flush floor: what the disk's flushes alone cost a receiver that answers a C-STORE only once the object and its index
# entry are durable. Files of the CT set's mean size written, fsync'd, renamed into a folder and the folder fsync'd,
# against the same without the two fsyncs (alternated, best of three rounds each); and a one-row PostgreSQL commit
# with synchronous_commit on against off (pgbench). On one association every C-STORE waits for its answer, so such a
# receiver runs at most at 1 / (1 / storescp's rate + the floor) even if all its other work were free.
FLUSH_MS=$(/usr/bin/python3 - "$WORK/flush-probe" "$((BYTES / FILES))" <<'PY'
import os, sys, time
d, size = sys.argv[1], int(sys.argv[2])
os.makedirs(d + "/tmp"); os.makedirs(d + "/final")
data = os.urandom(size)
def run(tag, sync, n=100):
    folder = os.open(d + "/final", os.O_RDONLY)
    os.sync()
    t = time.perf_counter()
    for i in range(n):
        tmp = "%s/tmp/%s%d" % (d, tag, i)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        if sync:
            os.fsync(fd)
        os.close(fd)
        os.rename(tmp, "%s/final/%s%d" % (d, tag, i))
        if sync:
            os.fsync(folder)
    os.close(folder)
    return (time.perf_counter() - t) / n * 1000
plain, durable = [], []
for r in range(3):
    plain.append(run("p%d-" % r, False))
    durable.append(run("d%d-" % r, True))
print("%.3f" % max(0.0, min(durable) - min(plain)))
PY
)
FLUSH_DB="vna_bench_flush_$$"; DBS+=("$FLUSH_DB")
psql -d postgres -qc "CREATE DATABASE $FLUSH_DB" >/dev/null
psql -d "$FLUSH_DB" -qc "CREATE TABLE t (id bigserial PRIMARY KEY, v text)" >/dev/null
printf "INSERT INTO t (v) VALUES ('x');\n" > "$WORK/commit.sql"
command -v pgbench > /dev/null || log "pgbench not found: the WAL flush is counted as 0 in the flush floor"
commit_ms() { PGOPTIONS="-c synchronous_commit=$1" pgbench -n -f "$WORK/commit.sql" -c 1 -t 2000 "$FLUSH_DB" 2>/dev/null | awk '/latency average/ { print $4 }'; }
WAL_MS=$(awk -v on="$(commit_ms on)" -v off="$(commit_ms off)" 'BEGIN { d = on - off; printf "%.3f", (d > 0 ? d : 0) }')
FLOOR_MS=$(awk -v f="$FLUSH_MS" -v w="$WAL_MS" 'BEGIN { printf "%.3f", f + w }')
log "flush floor: $FLOOR_MS ms per instance (file and folder fsync $FLUSH_MS ms, WAL flush $WAL_MS ms)"
START_LOAD=$(load)
SETS="${SETS:-ct big}"
CELLS=()
if [[ " $SETS " == *" ct "* ]]; then
    for p in $PARALLEL; do
        for target in ${TARGETS:-vna storescp storescp_fsync orthanc}; do
            for client in ${CLIENTS:-storescu vna}; do CELLS+=("$target $client $p ct"); done
        done
    done
fi
if [[ " $SETS " == *" big "* ]]; then
    for target in ${TARGETS:-vna storescp storescp_fsync orthanc}; do
        for client in ${CLIENTS:-storescu vna}; do CELLS+=("$target $client 1 big"); done
    done
fi
# Runs are interleaved (run 1 of every cell, then run 2 of every cell...): whatever drifts on the machine during the
# benchmark — load, the page cache, the state of the VM's memory (see README.md, seventh session) — falls on every
# receiver alike instead of on whichever cell ran at the time.
for ((r = 1; r <= RUNS; r++)); do
    for cell in "${CELLS[@]}"; do
        # shellcheck disable=SC2086 # a cell is four words
        run_once $cell
    done
    log "run $r of $RUNS done"
done
for cell in "${CELLS[@]}"; do
    # shellcheck disable=SC2086
    row $cell
done

{
    echo "# DIMSE C-STORE ingest, $TS"
    echo
    echo "Machine: $(nproc) cores, load at start $START_LOAD, at end $(load); creating an empty file cost $CREATE_US µs at start. $FILES CT instances ($(awk -v b="$BYTES" 'BEGIN{printf "%.1f", b/1e6}') MB);"
    echo "multi-frame object $(awk -v b="$BIG_BYTES" 'BEGIN{printf "%.1f", b/1e6}') MB. Medians of $RUNS runs, interleaved across receivers (all runs' seconds in brackets); every run on a fresh receiver; warm-up before each timed run: $WARMUP instances (untimed)."
    echo
    echo "| receiver | sender | associations | data | instances/s | MB/s | median s [runs] | load 1/5/15 min before → after |"
    echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
    printf '%s\n' "${ROWS[@]}"
    # shellcheck disable=SC2086 # the run times are a space-separated list
    scp=$(median ${TIMES["storescp storescu 1 ct"]:-})
    if [[ -n "$scp" ]]; then
        echo
        echo "Flush floor on this disk at start: $FLOOR_MS ms per instance (fsync of a $((BYTES / FILES))-byte file and of its folder: $FLUSH_MS ms; PostgreSQL's WAL flush for one commit: $WAL_MS ms)."
        awk -v t="$scp" -v f="$FILES" -v floor="$FLOOR_MS" 'BEGIN { r = f / t; c = 1000 / (1000 / r + floor);
            printf "A receiver that answers each C-STORE only once the object and its index entry are durable, and does nothing else storescp does not, reaches at most %.0f instances/s on one association with storescu here: %.0f %% of storescp'"'"'s %.0f.\n", c, 100 * c / r, r }'
    fi
} | tee "$REPORT"
log "report: $REPORT"
