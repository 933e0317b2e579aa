# shellcheck shell=bash
# The project's own local PostgreSQL 15 server: one cluster in a data folder of its own,
# on loopback only, for development and the integration tests.
#
# Source it after common.sh, do not run it:
#   source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
#   source "$(dirname "${BASH_SOURCE[0]}")/lib/pg.sh"
#
# Settings (environment):
#   VNA_PG_DATA   data folder                   (default <repo>/var/pg; as root, when the
#                                                cluster owner cannot reach the repository:
#                                                /var/tmp/vna-pg-<checksum of the repository path>)
#   VNA_PG_PORT   TCP port on 127.0.0.1         (default 55432)
#   VNA_PG_BIN    folder of initdb/pg_ctl/psql  (default: Debian's /usr/lib/postgresql/15/bin,
#                                                else the newest /usr/lib/postgresql/*/bin)
#   VNA_PG_OS_USER  OS user owning the cluster when run as root (default postgres)
#
# Functions:
#   vna_pg_start    install the server when missing (apt, as root), initdb when the data folder
#                   is empty, start when not running, create role and database `vna` when missing;
#                   prints the connection string on stdout
#   vna_pg_stop     stop the server of the data folder (pg_ctl stop -m fast, by postmaster.pid)
#   vna_pg_status   print whether it runs (pid, port); returns 0 when running, 3 when not
#   vna_pg_psql     psql as role vna on database vna over TCP (extra arguments go to psql)
#   vna_pg_purge    stop, then delete the data folder
# Everything is idempotent and works under `set -euo pipefail`.

if [[ -n "${_VNA_PG_SH:-}" ]]; then
    return 0
fi
_VNA_PG_SH=1

VNA_PG_PORT="${VNA_PG_PORT:-55432}"
VNA_PG_OS_USER="${VNA_PG_OS_USER:-postgres}"
# The default data folder: <repo>/var/pg. As root the server runs as VNA_PG_OS_USER, which must be
# able to reach it; when the repository lies where that user cannot (say under a 0700 home folder),
# a fixed folder under /var/tmp, named after the repository path so that each clone has its own.
_vna_pg_default_data() {
    VNA_PG_DATA="$VNA_ROOT/var/pg"
    if [[ "$(id -u)" -eq 0 ]] && id "$VNA_PG_OS_USER" >/dev/null 2>&1 \
        && ! runuser -u "$VNA_PG_OS_USER" -- test -x "$VNA_ROOT" 2>/dev/null; then
        VNA_PG_DATA="/var/tmp/vna-pg-$(printf '%s' "$VNA_ROOT" | cksum | cut -d' ' -f1)"
    fi
}
_vna_pg_data_defaulted=""
if [[ -z "${VNA_PG_DATA:-}" ]]; then
    _vna_pg_data_defaulted=1
    _vna_pg_default_data
fi
VNA_PG_APP_DB="vna"
VNA_PG_APP_USER="vna"
VNA_PG_APP_PASSWORD="vna"
# Debian 12 ships PostgreSQL 15 as postgresql-15.
VNA_PG_APT_PACKAGE="postgresql-15"

# The connection string the archive and the tests use.
vna_pg_connection_string() {
    printf 'Host=127.0.0.1;Port=%s;Database=%s;Username=%s;Password=%s\n' \
        "${1:-$VNA_PG_PORT}" "$VNA_PG_APP_DB" "$VNA_PG_APP_USER" "$VNA_PG_APP_PASSWORD"
}

# --- binaries -----------------------------------------------------------------

# Sets VNA_PG_BIN to a folder holding initdb, pg_ctl, postgres and psql, or returns 1.
_vna_pg_find_bin() {
    local d
    if [[ -n "${VNA_PG_BIN:-}" ]]; then
        [[ -x "$VNA_PG_BIN/initdb" && -x "$VNA_PG_BIN/pg_ctl" ]] && return 0
        return 1
    fi
    for d in /usr/lib/postgresql/15/bin; do
        if [[ -x "$d/initdb" && -x "$d/pg_ctl" ]]; then
            VNA_PG_BIN="$d"
            return 0
        fi
    done
    # Any other installed major version, newest first.
    while IFS= read -r d; do
        if [[ -x "$d/initdb" && -x "$d/pg_ctl" ]]; then
            VNA_PG_BIN="$d"
            return 0
        fi
    done < <(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5 -n -r)
    if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
        VNA_PG_BIN="$(dirname "$(command -v pg_ctl)")"
        return 0
    fi
    return 1
}

# Makes sure the server binaries exist: installs Debian's package when they are missing.
_vna_pg_ensure_bin() {
    _vna_pg_find_bin && return 0
    if [[ -n "${VNA_PG_BIN:-}" ]]; then
        die "VNA_PG_BIN=$VNA_PG_BIN has no initdb/pg_ctl"
    fi
    log_info "PostgreSQL server binaries not found: installing $VNA_PG_APT_PACKAGE"
    if [[ "${VNA_SKIP_APT:-}" == 1 ]]; then
        die "PostgreSQL server binaries are missing and VNA_SKIP_APT=1: install $VNA_PG_APT_PACKAGE (or set VNA_PG_BIN)"
    fi
    ensure_apt_packages "$VNA_PG_APT_PACKAGE"
    _vna_pg_find_bin || die "$VNA_PG_APT_PACKAGE is installed but no initdb/pg_ctl was found under /usr/lib/postgresql/*/bin"
}

# --- running as the cluster owner --------------------------------------------------

# PostgreSQL refuses to run as root: as root, every server command runs as VNA_PG_OS_USER.
# The lock descriptor is closed for the command: a server started by it must not inherit (and
# so keep holding) the lock.
# As root it runs from / (the current folder may be closed to the owner).
_vna_pg_as_owner() {
    if [[ -n "${_vna_pg_lock_fd:-}" ]]; then
        if [[ "$(id -u)" -eq 0 ]]; then
            (cd / && runuser -u "$VNA_PG_OS_USER" -- "$@" {_vna_pg_lock_fd}>&-)
        else
            "$@" {_vna_pg_lock_fd}>&-
        fi
    elif [[ "$(id -u)" -eq 0 ]]; then
        (cd / && runuser -u "$VNA_PG_OS_USER" -- "$@")
    else
        "$@"
    fi
}

_vna_pg_owner() {
    if [[ "$(id -u)" -eq 0 ]]; then
        printf '%s\n' "$VNA_PG_OS_USER"
    else
        id -un
    fi
}

_vna_pg_ensure_os_user() {
    [[ "$(id -u)" -eq 0 ]] || return 0
    if ! id "$VNA_PG_OS_USER" >/dev/null 2>&1; then
        log_info "creating OS user $VNA_PG_OS_USER (owner of the PostgreSQL cluster)"
        useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/bash "$VNA_PG_OS_USER" \
            || die "could not create OS user $VNA_PG_OS_USER"
    fi
}

# --- state of the data folder ------------------------------------------------------

_vna_pg_initialised() { [[ -s "$VNA_PG_DATA/PG_VERSION" ]]; }

# True when the postmaster of the data folder runs (pg_ctl reads postmaster.pid and checks the PID).
_vna_pg_running() {
    _vna_pg_initialised || return 1
    [[ -f "$VNA_PG_DATA/postmaster.pid" ]] || return 1
    _vna_pg_find_bin || return 1
    _vna_pg_as_owner "$VNA_PG_BIN/pg_ctl" -D "$VNA_PG_DATA" status >/dev/null 2>&1
}

_vna_pg_pid()  { sed -n 1p "$VNA_PG_DATA/postmaster.pid" 2>/dev/null; }
# Line 4 of postmaster.pid is the port the running server listens on.
_vna_pg_live_port() { sed -n 4p "$VNA_PG_DATA/postmaster.pid" 2>/dev/null; }

# Serialises start/stop/purge of one data folder between concurrent callers.
_vna_pg_lock() {
    local lock_dir
    lock_dir="$(dirname "$VNA_PG_DATA")"
    mkdir -p "$lock_dir"
    if command -v flock >/dev/null 2>&1; then
        exec {_vna_pg_lock_fd}>"$lock_dir/.$(basename "$VNA_PG_DATA").lock"
        flock -w 300 "$_vna_pg_lock_fd" || die "timed out waiting for another deploy/local/pg on $VNA_PG_DATA"
    fi
}

_vna_pg_unlock() {
    if [[ -n "${_vna_pg_lock_fd:-}" ]]; then
        exec {_vna_pg_lock_fd}>&-
        unset _vna_pg_lock_fd
    fi
}

# --- initdb --------------------------------------------------------------------------

_vna_pg_prepare_folder() {
    local owner parent
    owner="$(_vna_pg_owner)"
    mkdir -p "$VNA_PG_DATA"
    VNA_PG_DATA="$(cd "$VNA_PG_DATA" && pwd -P)"
    if [[ "$(id -u)" -eq 0 ]]; then
        chown "$owner": "$VNA_PG_DATA"
        # The owner must be able to reach the folder: every ancestor needs search permission.
        if ! runuser -u "$owner" -- test -x "$VNA_PG_DATA"; then
            parent="$(dirname "$VNA_PG_DATA")"
            die "OS user $owner cannot reach $VNA_PG_DATA (an ancestor of $parent lacks search permission for it): set VNA_PG_DATA to a folder it can reach, or chmod o+x the ancestors"
        fi
    fi
    chmod 700 "$VNA_PG_DATA"
}

_vna_pg_initdb() {
    local out
    log_info "initialising a PostgreSQL cluster in $VNA_PG_DATA"
    # Local (Unix socket) connections: trust; the socket lives in the 0700 data folder, so only
    # its owner (and root) can reach it. TCP on 127.0.0.1: passwords (scram-sha-256).
    if ! out="$(_vna_pg_as_owner "$VNA_PG_BIN/initdb" -D "$VNA_PG_DATA" -U postgres \
        --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 2>&1)"; then
        printf '%s\n' "$out" >&2
        die "initdb failed in $VNA_PG_DATA"
    fi
    # The settings that change with the environment live in vna.conf, rewritten at every start.
    printf "\n# deploy/local/pg: listen address, port and socket folder\ninclude_if_exists = 'vna.conf'\n" \
        | _vna_pg_as_owner tee -a "$VNA_PG_DATA/postgresql.conf" >/dev/null
}

_vna_pg_write_settings() {
    _vna_pg_as_owner tee "$VNA_PG_DATA/vna.conf" >/dev/null <<CONF
# Written by deploy/local/pg at each start; edit VNA_PG_PORT rather than this file.
listen_addresses = '127.0.0.1'
port = $VNA_PG_PORT
unix_socket_directories = '$VNA_PG_DATA'
max_connections = 200
CONF
}

# --- SQL as the superuser, over the socket in the data folder ----------------------------

_vna_pg_admin_sql() {
    local port
    port="$(_vna_pg_live_port)"
    _vna_pg_as_owner "$VNA_PG_BIN/psql" -h "$VNA_PG_DATA" -p "${port:-$VNA_PG_PORT}" -U postgres -d postgres \
        -v ON_ERROR_STOP=1 -qtAX "$@"
}

_vna_pg_ensure_role_and_database() {
    if [[ "$(_vna_pg_admin_sql -c "SELECT 1 FROM pg_roles WHERE rolname = '$VNA_PG_APP_USER'")" != 1 ]]; then
        log_info "creating role $VNA_PG_APP_USER"
        _vna_pg_admin_sql -c "CREATE ROLE \"$VNA_PG_APP_USER\" LOGIN CREATEDB PASSWORD '$VNA_PG_APP_PASSWORD'" >/dev/null
    fi
    # The tests drop their throwaway databases WITH (FORCE), which must also end an autovacuum worker busy in them (a
    # process of no role): only members of pg_signal_backend may. Without it the drop fails now and then with 42501.
    if [[ "$(_vna_pg_admin_sql -c "SELECT pg_has_role('$VNA_PG_APP_USER', 'pg_signal_backend', 'MEMBER')")" != t ]]; then
        _vna_pg_admin_sql -c "GRANT pg_signal_backend TO \"$VNA_PG_APP_USER\"" >/dev/null
    fi
    if [[ "$(_vna_pg_admin_sql -c "SELECT 1 FROM pg_database WHERE datname = '$VNA_PG_APP_DB'")" != 1 ]]; then
        log_info "creating database $VNA_PG_APP_DB"
        _vna_pg_admin_sql -c "CREATE DATABASE \"$VNA_PG_APP_DB\" OWNER \"$VNA_PG_APP_USER\"" >/dev/null
    fi
}

# True when something answers as PostgreSQL on 127.0.0.1:VNA_PG_PORT (our cluster or another).
_vna_pg_port_answers() {
    local isready="$VNA_PG_BIN/pg_isready"
    [[ -x "$isready" ]] || isready="$(command -v pg_isready)" || return 1
    "$isready" -q -h 127.0.0.1 -p "$VNA_PG_PORT" -t 2 >/dev/null 2>&1
}

# True when another server answers on the port and role vna can log in to database vna there.
_vna_pg_other_server_usable() {
    _vna_pg_port_answers || return 1
    local psql="$VNA_PG_BIN/psql"
    [[ -x "$psql" ]] || psql="$(command -v psql)" || return 1
    [[ "$(PGPASSWORD="$VNA_PG_APP_PASSWORD" PGCONNECT_TIMEOUT=5 "$psql" -h 127.0.0.1 -p "$VNA_PG_PORT" \
        -U "$VNA_PG_APP_USER" -d "$VNA_PG_APP_DB" -qtAX -c 'SELECT 1' 2>/dev/null)" == 1 ]]
}

# --- commands ---------------------------------------------------------------------------

vna_pg_start() {
    _vna_pg_ensure_bin
    _vna_pg_ensure_os_user
    # The OS user may have been created just now (with the package): choose the default again.
    [[ -z "$_vna_pg_data_defaulted" ]] || _vna_pg_default_data
    _vna_pg_lock
    if _vna_pg_running; then
        log_info "PostgreSQL already running (pid $(_vna_pg_pid), port $(_vna_pg_live_port), data $VNA_PG_DATA)"
        if [[ "$(_vna_pg_live_port)" != "$VNA_PG_PORT" ]]; then
            log_warn "it listens on port $(_vna_pg_live_port), not VNA_PG_PORT=$VNA_PG_PORT: stop it first to change the port"
        fi
    elif _vna_pg_other_server_usable; then
        # Another cluster (another data folder) already serves the port and lets `vna` in:
        # use it rather than fail. stop/purge never touch it.
        log_warn "port $VNA_PG_PORT is served by another PostgreSQL (not $VNA_PG_DATA) where role $VNA_PG_APP_USER can log in: using it"
        _vna_pg_unlock
        vna_pg_connection_string "$VNA_PG_PORT"
        return 0
    else
        _vna_pg_prepare_folder
        if ! _vna_pg_initialised; then
            if [[ -n "$(ls -A "$VNA_PG_DATA" 2>/dev/null)" ]]; then
                die "$VNA_PG_DATA is not empty but holds no PostgreSQL cluster (no PG_VERSION): move it away or run purge"
            fi
            _vna_pg_initdb
        fi
        _vna_pg_write_settings
        local log="$VNA_PG_DATA/server.log"
        if ! _vna_pg_as_owner "$VNA_PG_BIN/pg_ctl" -D "$VNA_PG_DATA" -l "$log" -w -t 60 start >/dev/null; then
            tail -n 20 "$log" >&2 2>/dev/null || true
            _vna_pg_unlock
            die "PostgreSQL did not start (log above, full log in $log); is port $VNA_PG_PORT taken?"
        fi
        log_info "PostgreSQL started (pid $(_vna_pg_pid), port $(_vna_pg_live_port), data $VNA_PG_DATA)"
    fi
    _vna_pg_ensure_role_and_database
    _vna_pg_unlock
    vna_pg_connection_string "$(_vna_pg_live_port)"
}

vna_pg_stop() {
    _vna_pg_lock
    if _vna_pg_running; then
        local pid
        pid="$(_vna_pg_pid)"
        _vna_pg_as_owner "$VNA_PG_BIN/pg_ctl" -D "$VNA_PG_DATA" -m fast -w -t 60 stop >/dev/null \
            || { _vna_pg_unlock; die "pg_ctl stop failed for $VNA_PG_DATA (pid $pid)"; }
        log_info "PostgreSQL stopped (was pid $pid)"
    else
        log_info "PostgreSQL not running (data $VNA_PG_DATA)"
    fi
    _vna_pg_unlock
}

vna_pg_status() {
    if _vna_pg_running; then
        printf 'running: pid %s, port %s, data %s\n' "$(_vna_pg_pid)" "$(_vna_pg_live_port)" "$VNA_PG_DATA"
        vna_pg_connection_string "$(_vna_pg_live_port)"
        return 0
    fi
    if _vna_pg_find_bin && _vna_pg_other_server_usable; then
        printf 'not running here (data %s), but another PostgreSQL on port %s lets role %s in:\n' \
            "$VNA_PG_DATA" "$VNA_PG_PORT" "$VNA_PG_APP_USER"
        vna_pg_connection_string "$VNA_PG_PORT"
        return 0
    fi
    if _vna_pg_initialised; then
        printf 'stopped: data %s\n' "$VNA_PG_DATA"
    else
        printf 'not initialised: no cluster in %s\n' "$VNA_PG_DATA"
    fi
    return 3
}

vna_pg_psql() {
    local port="$VNA_PG_PORT" psql
    if _vna_pg_running; then
        port="$(_vna_pg_live_port)"
    elif ! { _vna_pg_find_bin && _vna_pg_other_server_usable; }; then
        die "PostgreSQL is not running: deploy/local/pg start"
    fi
    psql="${VNA_PG_BIN:-}/psql"
    [[ -x "$psql" ]] || psql="$(command -v psql)" || die "psql not found"
    PGPASSWORD="$VNA_PG_APP_PASSWORD" "$psql" -h 127.0.0.1 -p "$port" \
        -U "$VNA_PG_APP_USER" -d "$VNA_PG_APP_DB" "$@"
}

vna_pg_purge() {
    vna_pg_stop
    _vna_pg_lock
    if [[ -d "$VNA_PG_DATA" ]]; then
        rm -rf "$VNA_PG_DATA"
        log_info "deleted $VNA_PG_DATA"
    fi
    _vna_pg_unlock
}
