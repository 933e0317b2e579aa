# shellcheck shell=bash
# Shared helpers for the scripts in deploy/local/ (and .ci/).
#
# Source it, do not run it:
#   source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
#
# It sets VNA_ROOT (the repository root) and provides:
#   log_step / log_info / log_warn / log_error / die   logging, to stderr
#   run_quiet CMD...                                    run CMD, show its output only if it fails
#   ensure_apt_packages PKG...                          install the Debian packages dpkg lacks
#   ensure_dotnet                                       check for a .NET SDK >= 10 (with install hints)
# Everything here works under `set -euo pipefail`.

if [[ -n "${_VNA_COMMON_SH:-}" ]]; then
    return 0
fi
_VNA_COMMON_SH=1

# --- repository root --------------------------------------------------------

# This file lives in <root>/deploy/local/lib/.
VNA_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd -P)"
if [[ ! -f "$VNA_ROOT/Vna.sln" ]]; then
    if _vna_git_root="$(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --show-toplevel 2>/dev/null)" \
        && [[ -f "$_vna_git_root/Vna.sln" ]]; then
        VNA_ROOT="$_vna_git_root"
    else
        echo "error: cannot find the Vna repository root (no Vna.sln above ${BASH_SOURCE[0]})" >&2
        exit 1
    fi
fi
export VNA_ROOT

# Target framework of the build outputs used by the scripts.
VNA_TFM="net10.0"
VNA_MIN_DOTNET_MAJOR=10

# --- logging ----------------------------------------------------------------

if [[ -t 2 && -z "${NO_COLOR:-}" && "${TERM:-dumb}" != "dumb" ]]; then
    _vna_c_step=$'\e[1;34m' _vna_c_warn=$'\e[1;33m' _vna_c_err=$'\e[1;31m' _vna_c_off=$'\e[0m'
else
    _vna_c_step='' _vna_c_warn='' _vna_c_err='' _vna_c_off=''
fi

log_step()  { printf '%s==> %s%s\n' "$_vna_c_step" "$*" "$_vna_c_off" >&2; }
log_info()  { printf '    %s\n' "$*" >&2; }
log_warn()  { printf '%swarning:%s %s\n' "$_vna_c_warn" "$_vna_c_off" "$*" >&2; }
log_error() { printf '%serror:%s %s\n' "$_vna_c_err" "$_vna_c_off" "$*" >&2; }
die()       { log_error "$@"; exit 1; }

# run_quiet CMD...: runs CMD with its output captured; prints the output (to stderr)
# only when CMD fails, and returns CMD's exit status.
# run_quiet_to LOG CMD...: runs CMD with its output in LOG (kept for reading when CMD fails).
run_quiet_to() {
    local log="$1"
    shift
    mkdir -p "$(dirname "$log")"
    "$@" > "$log" 2>&1
}

run_quiet() {
    local out rc=0
    out="$("$@" 2>&1)" || rc=$?
    if (( rc != 0 )); then
        printf '%s\n' "$out" >&2
    fi
    return "$rc"
}

# --- Debian packages --------------------------------------------------------

_vna_apt_updated=""

# Runs a command as root: directly when we are root, through sudo otherwise.
_vna_as_root() {
    if [[ "$(id -u)" -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "root is needed to run: $* (run as root, or install sudo)"
    fi
}

# True when dpkg reports PKG as installed (not merely known or half-removed).
_vna_pkg_installed() {
    dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed$'
}

# ensure_apt_packages PKG...: installs, non-interactively, those of PKG that dpkg
# says are not installed. Runs `apt-get update` once (per process) before the first
# install. apt's output goes to stderr. Set VNA_SKIP_APT=1 to skip this step (the missing packages are listed).
ensure_apt_packages() {
    (( $# > 0 )) || return 0
    if ! command -v dpkg >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
        log_warn "not a Debian/Ubuntu system (no dpkg/apt-get): make sure these are installed: $*"
        return 0
    fi
    local pkg missing=()
    for pkg in "$@"; do
        _vna_pkg_installed "$pkg" || missing+=("$pkg")
    done
    if (( ${#missing[@]} == 0 )); then
        log_info "Debian packages present: $*"
        return 0
    fi
    if [[ "${VNA_SKIP_APT:-}" == 1 ]]; then
        log_warn "VNA_SKIP_APT=1: not installing missing packages: ${missing[*]} (tests that need them may fail or skip)"
        return 0
    fi
    log_info "installing Debian packages: ${missing[*]}"
    local -a apt_env=(env DEBIAN_FRONTEND=noninteractive NEEDRESTART_MODE=a)
    if [[ -z "$_vna_apt_updated" ]]; then
        run_quiet _vna_as_root "${apt_env[@]}" apt-get update -qq \
            || die "apt-get update failed (output above)"
        _vna_apt_updated=1
    fi
    _vna_as_root "${apt_env[@]}" apt-get install -y -qq --no-install-recommends \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
        "${missing[@]}" >&2 \
        || die "apt-get install failed for: ${missing[*]}"
    for pkg in "${missing[@]}"; do
        _vna_pkg_installed "$pkg" || die "package $pkg is still not installed after apt-get install"
    done
}

# --- .NET SDK ---------------------------------------------------------------

_vna_dotnet_help() {
    cat >&2 <<EOF

The .NET SDK ${VNA_MIN_DOTNET_MAJOR} (or newer) is required to build Vna.
Debian's own archive does not package the .NET SDK, so this script cannot
install it with apt-get from Debian. Install it yourself, then re-run:

  * Debian 12/13: Microsoft's package feed (packages.microsoft.com), then
      apt-get install dotnet-sdk-10.0
    see https://learn.microsoft.com/dotnet/core/install/linux-debian
  * Ubuntu 24.04 or newer: Ubuntu's archive has it:
      sudo apt-get install dotnet-sdk-10.0
  * Anywhere, without root: Microsoft's install script
      curl -sSL https://dot.net/v1/dotnet-install.sh | bash -s -- --channel 10.0
      export PATH="\$HOME/.dotnet:\$PATH"

EOF
}

# ensure_dotnet: makes sure `dotnet` is on PATH (also looking in the usual install
# folders) and that its SDK, as selected by the repository's global.json, is >= 10.
ensure_dotnet() {
    export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
    if ! command -v dotnet >/dev/null 2>&1; then
        local d
        for d in "${DOTNET_ROOT:-}" "$HOME/.dotnet" /usr/share/dotnet /usr/lib/dotnet /opt/dotnet; do
            if [[ -n "$d" && -x "$d/dotnet" ]]; then
                export PATH="$d:$PATH" DOTNET_ROOT="$d"
                break
            fi
        done
    fi
    if ! command -v dotnet >/dev/null 2>&1; then
        log_error "dotnet not found on PATH"
        _vna_dotnet_help
        exit 1
    fi
    local version major
    # Run from the repository root so that global.json selects the SDK.
    if ! version="$(cd "$VNA_ROOT" && dotnet --version 2>&1)"; then
        log_error "\`dotnet --version\` failed in $VNA_ROOT (is there an SDK matching its global.json? installed SDKs: $(dotnet --list-sdks 2>/dev/null | awk '{print $1}' | tr '\n' ' ')):"
        printf '%s\n' "$version" | head -n 15 >&2
        _vna_dotnet_help
        exit 1
    fi
    major="${version%%.*}"
    if ! [[ "$major" =~ ^[0-9]+$ ]] || (( major < VNA_MIN_DOTNET_MAJOR )); then
        log_error ".NET SDK $version found, ${VNA_MIN_DOTNET_MAJOR} or newer needed"
        _vna_dotnet_help
        exit 1
    fi
    VNA_DOTNET_VERSION="$version"
    export VNA_DOTNET_VERSION
}

# --- Vna specifics shared by the scripts --------------------------------------

# vna_default_shared_dir: exports VNA_SHARED_DIR (the shared/ folder with the DICOM
# samples) when it is unset and <root>/../shared exists. Leaves a user's value alone.
vna_default_shared_dir() {
    if [[ -z "${VNA_SHARED_DIR:-}" && -d "$VNA_ROOT/../shared" ]]; then
        VNA_SHARED_DIR="$(cd "$VNA_ROOT/../shared" && pwd -P)"
    fi
    if [[ -n "${VNA_SHARED_DIR:-}" ]]; then
        export VNA_SHARED_DIR
    fi
}

# The `vna` CLI is published into var/cli, not run from bin/: a command line starts once per use, and a fresh .NET
# process spent ~100 ms of a 145 ms one-file `vna dump` starting and JIT-compiling. Native AOT (a native executable,
# ~9 ms to dump one file) when this machine can build it (the ILCompiler package from NuGet, and gcc or clang);
# otherwise ReadyToRun (precompiled IL, ~75 ms). VNA_CLI_AOT=0 skips the AOT attempt (it takes ~40 s to build).
VNA_CLI_DIR_DEFAULT="var/cli"

# vna_cli_dir: where the CLI is published.
vna_cli_dir() {
    printf '%s\n' "$VNA_ROOT/$VNA_CLI_DIR_DEFAULT"
}

# dotnet_rid: the runtime identifier of this machine (linux-x64, linux-arm64).
dotnet_rid() {
    case "$(uname -m)" in
        x86_64) echo linux-x64 ;;
        aarch64 | arm64) echo linux-arm64 ;;
        *) echo "linux-$(uname -m)" ;;
    esac
}

# vna_cli_command: prints how to run the published CLI (one word per line): the native executable, or dotnet + dll.
vna_cli_command() {
    local dir
    dir="$(vna_cli_dir)"
    if [[ "$(cat "$dir/.kind" 2>/dev/null)" == aot ]]; then
        printf '%s\n' "$dir/vna"
    else
        printf '%s\n' dotnet "$dir/vna.dll"
    fi
}

# vna_build_cli: publishes src/Vna.Cli quietly, unless the published CLI is newer than every source and build file
# of the projects it is made from.
vna_build_cli() {
    local dir stamp stale=""
    dir="$(vna_cli_dir)"
    stamp="$dir/.kind"
    if [[ ! -f "$stamp" || "${VNA_FORCE_BUILD:-}" == 1 ]]; then
        stale=1
    elif [[ -n "$(find "$VNA_ROOT/src" \( -name bin -o -name obj \) -prune -o -type f -newer "$stamp" -print -quit)" ]]; then
        stale=1
    else
        local f
        for f in "$VNA_ROOT"/Directory.Build.props "$VNA_ROOT"/Directory.Packages.props "$VNA_ROOT"/global.json; do
            if [[ -f "$f" && "$f" -nt "$stamp" ]]; then
                stale=1
                break
            fi
        done
    fi
    [[ -n "$stale" ]] || return 0
    rm -rf "$dir"
    local project="$VNA_ROOT/src/Vna.Cli/Vna.Cli.csproj" rid
    rid="$(dotnet_rid)"
    if [[ "${VNA_CLI_AOT:-1}" != 0 ]]; then
        log_step "building src/Vna.Cli (Release, native AOT)"
        if run_quiet_to "$VNA_ROOT/var/cli-aot-build.log" dotnet publish "$project" -c Release -r "$rid" \
            -p:PublishAot=true -o "$dir" -nologo -v quiet && [[ -x "$dir/vna" ]]; then
            echo aot > "$stamp"
            return 0
        fi
        log_step "native AOT build failed (see var/cli-aot-build.log); building ReadyToRun instead"
        rm -rf "$dir"
    else
        log_step "building src/Vna.Cli (Release, ReadyToRun)"
    fi
    if ! run_quiet dotnet publish "$project" -c Release -r "$rid" --self-contained false \
        -p:PublishReadyToRun=true -o "$dir" -nologo -v quiet; then
        log_error "building src/Vna.Cli failed (compiler output above)"
        return 1
    fi
    [[ -f "$dir/vna.dll" ]] || { log_error "build succeeded but $dir/vna.dll is missing"; return 1; }
    echo r2r > "$stamp"
}
