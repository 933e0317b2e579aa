# shellcheck shell=bash
# Helpers for the scripts that run the archive server (deploy/local/run, deploy/local/cluster).
#
# Source it after common.sh, do not run it:
#   source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
#   source "$(dirname "${BASH_SOURCE[0]}")/lib/server.sh"
#
# Functions:
#   vna_server_dll                      path of the built server (Release)
#   vna_build_server                    builds src/Vna.Server in Release unless its dll is newer than every source
#   vna_ensure_pg                       exports VNA_PG: as given, else what `deploy/local/pg start` prints (starting it)
#   vna_psql SQL                        runs SQL on the VNA_PG database (psql, unaligned, tuples only)
#   vna_forget_stopped_cluster ID       deletes cluster ID's Orleans membership rows when none of its silos is alive
#   vna_http_ok URL                     true when GET URL answers 200
#   vna_wait_healthy BASE_URL PID SECS  waits for BASE_URL/health; returns 0 healthy, 1 the process exited, 2 timed out
#   vna_is_server_pid PID               true when PID is a running Vna.Server
#   vna_runtime_env                     exports the .NET runtime settings the server runs with (each kept when already set)
# Everything here works under `set -euo pipefail`.

if [[ -n "${_VNA_SERVER_SH:-}" ]]; then
    return 0
fi
_VNA_SERVER_SH=1

# DOTNET_TC_CallCountingDelayMs=0: the runtime promotes hot methods from their first, unoptimised code (tier 0) only after
# 100 ms without any new method being jitted. A server under a steady stream of C-STOREs keeps jitting a method now and
# then (timers, new paths), so that pause did not come: after 3,000 instances a fresh server still ran its tier-0 code
# (135 vs 186 instances/s from storescu on one association, tests/bench/README.md "DIMSE, fifth session"). With 0 the
# counting starts at once and the hot path is optimised within the first few hundred instances.
vna_runtime_env() {
    export DOTNET_TC_CallCountingDelayMs="${DOTNET_TC_CallCountingDelayMs:-0}"
}

vna_server_dll() {
    printf '%s\n' "$VNA_ROOT/src/Vna.Server/bin/Release/$VNA_TFM/Vna.Server.dll"
}

vna_build_server() {
    local dll stale="" f
    dll="$(vna_server_dll)"
    if [[ ! -f "$dll" || "${VNA_FORCE_BUILD:-}" == 1 ]]; then
        stale=1
    elif [[ -n "$(find "$VNA_ROOT/src" \( -name bin -o -name obj \) -prune -o -type f -newer "$dll" -print -quit)" ]]; then
        stale=1
    else
        for f in "$VNA_ROOT"/Directory.Build.props "$VNA_ROOT"/Directory.Packages.props "$VNA_ROOT"/global.json; do
            if [[ -f "$f" && "$f" -nt "$dll" ]]; then
                stale=1
                break
            fi
        done
    fi
    if [[ -z "$stale" ]]; then
        log_info "src/Vna.Server is up to date ($dll)"
        return 0
    fi
    log_step "building src/Vna.Server (Release)"
    if ! run_quiet dotnet build "$VNA_ROOT/src/Vna.Server/Vna.Server.csproj" -c Release -nologo -v quiet; then
        log_error "the build of src/Vna.Server failed (compiler output above)"
        return 1
    fi
    [[ -f "$dll" ]] || { log_error "build succeeded but $dll is missing"; return 1; }
    touch "$dll"
}

vna_ensure_pg() {
    if [[ -n "${VNA_PG:-}" ]]; then
        log_info "PostgreSQL: VNA_PG=${VNA_PG%%;Password=*}"
    else
        log_step "starting PostgreSQL (deploy/local/pg start)"
        VNA_PG="$("$VNA_ROOT/deploy/local/pg" start | tail -n 1)" || die "deploy/local/pg start failed (output above)"
        [[ "$VNA_PG" == Host=* ]] || die "deploy/local/pg start printed no connection string (got: $VNA_PG)"
    fi
    export VNA_PG
}

# The value of KEY (case-insensitive, several spellings allowed) in the Npgsql connection string $1.
_vna_cs_get() {
    local cs="$1" part key value want
    shift
    local IFS=';'
    for part in $cs; do
        key="${part%%=*}"
        value="${part#*=}"
        key="$(printf '%s' "$key" | tr -d ' ' | tr '[:upper:]' '[:lower:]')"
        for want in "$@"; do
            if [[ "$key" == "$want" ]]; then
                printf '%s\n' "$value"
                return 0
            fi
        done
    done
    return 1
}

_vna_psql_bin() {
    local p
    if p="$(command -v psql 2>/dev/null)"; then
        printf '%s\n' "$p"
        return 0
    fi
    for p in /usr/lib/postgresql/*/bin/psql; do
        [[ -x "$p" ]] && { printf '%s\n' "$p"; return 0; }
    done
    return 1
}

vna_psql() {
    local psql host port db user password
    psql="$(_vna_psql_bin)" || die "psql not found (apt-get install postgresql-client)"
    host="$(_vna_cs_get "$VNA_PG" host server)" || host=127.0.0.1
    port="$(_vna_cs_get "$VNA_PG" port)" || port=5432
    db="$(_vna_cs_get "$VNA_PG" database db)" || db=vna
    user="$(_vna_cs_get "$VNA_PG" username userid user)" || user=vna
    password="$(_vna_cs_get "$VNA_PG" password pwd)" || password=""
    PGPASSWORD="$password" PGCONNECT_TIMEOUT=10 "$psql" -h "$host" -p "$port" -U "$user" -d "$db" \
        -v ON_ERROR_STOP=1 -qtAX -c "$1"
}

# The Orleans stale-membership trap (shared/docs/orleans-postgres.md, section 5): a silo killed with SIGKILL leaves its
# membership row Active, and the first silo started afterwards for that ClusterId waits for it (about 90-100 s) unless it
# reuses that silo's own address and port. So before a cluster's first silo starts, when none of the cluster's silos is
# alive (no silo port in its rows accepts a connection), its rows are deleted: orleans_cluster_version, which cascades to
# orleans_silo (Vna's own schema for the Orleans clustering queries, src/Vna.Index.Postgres/Migrations/0001). Grain state
# and reminders are keyed by ServiceId, not ClusterId, and are not touched. A row for another host is never deleted.
vna_forget_stopped_cluster() {
    local cluster="$1" rows address port status alive=() remote=()
    if [[ "$(vna_psql "SELECT to_regclass('orleans_silo') IS NOT NULL")" != t ]]; then
        return 0   # a database the server has not migrated yet: nothing to forget
    fi
    rows="$(vna_psql "SELECT address || ' ' || port || ' ' || status FROM orleans_silo WHERE deployment_id = '${cluster//\'/\'\'}' AND status <> 6")"
    while read -r address port status; do
        [[ -n "${address:-}" ]] || continue
        if [[ "$address" != 127.* && "$address" != localhost && "$address" != ::1 ]]; then
            remote+=("$address:$port")
        elif (exec 3<>"/dev/tcp/$address/$port") 2>/dev/null; then
            alive+=("$address:$port")
        fi
    done <<<"$rows"
    if (( ${#alive[@]} > 0 || ${#remote[@]} > 0 )); then
        log_info "cluster '$cluster' has live silos (${alive[*]} ${remote[*]}): its membership is kept; new silos join it"
        return 0
    fi
    local deleted
    deleted="$(vna_psql "WITH d AS (DELETE FROM orleans_silo WHERE deployment_id = '${cluster//\'/\'\'}' RETURNING 1) SELECT count(*) FROM d")"
    vna_psql "DELETE FROM orleans_cluster_version WHERE deployment_id = '${cluster//\'/\'\'}'" >/dev/null
    if [[ "$deleted" != 0 ]]; then
        log_info "cluster '$cluster' is down: deleted its $deleted membership row(s), so no dead silo holds up the start"
    fi
}

vna_http_ok() {
    local url="$1"
    if command -v curl >/dev/null 2>&1; then
        # An https server may have a self-signed certificate: this probe only asks whether our own child answers, so it
        # does not check the certificate (-k); clients that send data must (curl --cacert, SSL_CERT_FILE for vna).
        local insecure=()
        [[ "$url" == https://* ]] && insecure=(-k)
        curl -fsS "${insecure[@]}" -o /dev/null --max-time 2 "$url" 2>/dev/null
        return
    fi
    [[ "$url" == https://* ]] && { log_error "curl is needed to probe $url"; return 1; }
    # Without curl: HTTP/1.0 over bash's /dev/tcp (loopback URLs of the form http://HOST:PORT/PATH).
    local rest host port path line fd
    rest="${url#http://}"
    host="${rest%%/*}"
    path="/${rest#*/}"
    [[ "$rest" == */* ]] || path=/
    port="${host##*:}"
    host="${host%:*}"
    { exec {fd}<>"/dev/tcp/$host/$port"; } 2>/dev/null || return 1
    printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$path" "$host" >&"$fd"
    IFS= read -r -t 2 line <&"$fd" || line=""
    exec {fd}>&-
    [[ "$line" == "HTTP/"*" 200"* ]]
}

vna_wait_healthy() {
    local base="$1" pid="$2" seconds="$3" start=$SECONDS
    while (( SECONDS - start < seconds )); do
        kill -0 "$pid" 2>/dev/null || return 1
        vna_http_ok "${base%/}/health" && return 0
        sleep 0.2
    done
    return 2
}

# (A zombie, exited but not yet reaped, has an empty command line: it is not a running server.)
vna_is_server_pid() {
    local pid="$1"
    [[ -n "$pid" && "$pid" =~ ^[0-9]+$ ]] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'Vna\.Server\.dll'
}
