# deploy/local/lib/codecs.sh — the Debian packages the codecs (src/Vna.Codecs) need to build and run.
# Sourced after common.sh. The server loads these by soname at run time; the OpenJPH shim is compiled by the build.
VNA_CODECS_APT_PACKAGES=(
    libopenjp2-7      # JPEG 2000 (libopenjp2.so.7), HTJ2K decode (default)
    libopenjph0.9     # HTJ2K encode (libopenjph.so.0.9), through the shim
    libopenjph-dev    # the shim's headers (build time)
    g++               # compiles the shim (build time)
    libcharls2        # JPEG-LS (libcharls.so.2)
    libturbojpeg0     # JPEG baseline (libturbojpeg.so.0)
)

# vna_ensure_codec_packages: installs those of the codec packages dpkg lacks (honours VNA_SKIP_APT=1).
vna_ensure_codec_packages() {
    local -a names=()
    local p
    for p in "${VNA_CODECS_APT_PACKAGES[@]}"; do
        names+=("${p%% *}")
    done
    ensure_apt_packages "${names[@]}"
}
