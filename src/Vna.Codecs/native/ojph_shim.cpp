// A small C API over OpenJPH (HTJ2K, ISO/IEC 15444-15) for Vna.Codecs (P/Invoke cannot call C++).
// Compiled at build time by src/Vna.Codecs/Vna.Codecs.csproj against the installed libopenjph-dev; never checked in as a binary.
// Contract: every exported function catches everything (a C++ exception crossing P/Invoke aborts the process), returns 0 on
// success or -1 on failure, and leaves the message in a thread-local buffer read by vna_ojph_last_error().
#include <openjph/ojph_arch.h>
#include <openjph/ojph_codestream.h>
#include <openjph/ojph_file.h>
#include <openjph/ojph_mem.h>
#include <openjph/ojph_message.h>
#include <openjph/ojph_params.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <mutex>
#include <string>
#include <vector>

#define VNA_API extern "C" __attribute__((visibility("default")))

namespace {

thread_local std::string t_error;

// OpenJPH 0.9 prints through FILE* streams (configure_error is a no-op in 0.9): errors go to a cookie stream that appends to
// the calling thread's buffer, info and warnings to a stream that discards them (never to the host's stdout).
ssize_t error_write(void*, const char* buf, size_t size)
{
    if (t_error.size() < 4096) {
        t_error.append(buf, size);
    }
    return static_cast<ssize_t>(size);
}

ssize_t discard_write(void*, const char*, size_t size) { return static_cast<ssize_t>(size); }

std::once_flag g_streams_once;

void install_streams()
{
    std::call_once(g_streams_once, [] {
        cookie_io_functions_t err_io = {nullptr, error_write, nullptr, nullptr};
        cookie_io_functions_t null_io = {nullptr, discard_write, nullptr, nullptr};
        FILE* err = fopencookie(nullptr, "w", err_io);
        FILE* null = fopencookie(nullptr, "w", null_io);
        if (err != nullptr) {
            setvbuf(err, nullptr, _IONBF, 0);
            ojph::set_error_stream(err);
        }
        if (null != nullptr) {
            setvbuf(null, nullptr, _IONBF, 0);
            ojph::set_info_stream(null);
            ojph::set_warning_stream(null);
        }
    });
}

// A growing memory output we own (mem_outfile frees its buffer on close, which codestream::close calls).
class vec_outfile : public ojph::outfile_base {
public:
    size_t write(const void* ptr, size_t size) override
    {
        const auto* p = static_cast<const uint8_t*>(ptr);
        data.insert(data.end(), p, p + size);
        return size;
    }
    ojph::si64 tell() override { return static_cast<ojph::si64>(data.size()); }
    void close() override {}
    std::vector<uint8_t> data;
};

struct encoded {
    std::vector<uint8_t> bytes;
};

// One line of one component from the interleaved input into OpenJPH's 32-bit line, masked (unsigned) or sign-extended
// (signed) from bit_depth. Specialised per sample type, signedness and interleaving so the inner loop has no branches and
// the compiler can vectorise it; src points at the line's first sample of the component.
template <typename T, bool Signed, bool Interleaved>
void fill_line(ojph::si32* __restrict dst, const uint8_t* __restrict src_bytes, uint32_t width, uint32_t comps, uint32_t bit_depth)
{
    const T* __restrict src = reinterpret_cast<const T*>(src_bytes);
    const uint32_t step = Interleaved ? comps : 1u;
    if constexpr (Signed) {
        const int shift = 32 - static_cast<int>(bit_depth);
        for (uint32_t x = 0; x < width; ++x) {
            const uint32_t v = src[static_cast<size_t>(x) * step];
            dst[x] = static_cast<int32_t>(v << shift) >> shift;
        }
    } else {
        const uint32_t mask = (1u << bit_depth) - 1u;
        for (uint32_t x = 0; x < width; ++x) {
            dst[x] = static_cast<int32_t>(static_cast<uint32_t>(src[static_cast<size_t>(x) * step]) & mask);
        }
    }
}

using fill_fn = void (*)(ojph::si32*, const uint8_t*, uint32_t, uint32_t, uint32_t);

fill_fn pick_fill(uint32_t bytes_per_sample, bool is_signed, uint32_t comps)
{
    const bool interleaved = comps > 1;
    if (bytes_per_sample == 1) {
        if (is_signed) {
            return interleaved ? fill_line<uint8_t, true, true> : fill_line<uint8_t, true, false>;
        }
        return interleaved ? fill_line<uint8_t, false, true> : fill_line<uint8_t, false, false>;
    }
    if (is_signed) {
        return interleaved ? fill_line<uint16_t, true, true> : fill_line<uint16_t, true, false>;
    }
    return interleaved ? fill_line<uint16_t, false, true> : fill_line<uint16_t, false, false>;
}

int fail(const char* what)
{
    if (t_error.empty()) {
        t_error = what;
    }
    return -1;
}

void begin()
{
    install_streams();
    t_error.clear();
}

}  // namespace

VNA_API const char* vna_ojph_last_error() { return t_error.c_str(); }

VNA_API void vna_ojph_release(void* handle) { delete static_cast<encoded*>(handle); }

// Encodes one frame of interleaved little-endian samples (bytes_per_sample 1 or 2) of bit_depth bits. Samples are masked
// (unsigned) or sign-extended (signed) from bit_depth first. progression: 0 = RPCL (OpenJPH's default), 1 = LRCP, 2 = CPRL.
// num_decomps < 0 keeps the default (5), clamped to what the frame allows. On success *handle owns the bytes.
VNA_API int vna_ojph_encode(const void* pixels, uint32_t width, uint32_t height, uint32_t comps, uint32_t bytes_per_sample,
                            uint32_t bit_depth, int is_signed, int reversible, float qstep, int color_transform,
                            int progression, int num_decomps, void** handle, const uint8_t** data, size_t* size)
{
    begin();
    try {
        if (pixels == nullptr || width == 0 || height == 0 || comps == 0 || comps > 4 || bit_depth == 0 || bit_depth > 16 ||
            (bytes_per_sample != 1 && bytes_per_sample != 2) || bit_depth > bytes_per_sample * 8) {
            return fail("invalid frame parameters");
        }

        ojph::codestream cs;
        ojph::param_siz siz = cs.access_siz();
        siz.set_image_extent(ojph::point(width, height));
        siz.set_tile_size(ojph::size(width, height));
        siz.set_num_components(comps);
        for (uint32_t c = 0; c < comps; ++c) {
            siz.set_component(c, ojph::point(1, 1), bit_depth, is_signed != 0);
        }

        ojph::param_cod cod = cs.access_cod();
        uint32_t decomps = num_decomps < 0 ? 5u : static_cast<uint32_t>(num_decomps);
        uint32_t smallest = width < height ? width : height;
        while (decomps > 0 && (smallest >> decomps) == 0) {
            --decomps;
        }
        cod.set_num_decomposition(decomps);
        cod.set_block_dims(64, 64);
        cod.set_progression_order(progression == 1 ? "LRCP" : progression == 2 ? "CPRL" : "RPCL");
        cod.set_color_transform(color_transform != 0 && comps >= 3);
        cod.set_reversible(reversible != 0);
        if (reversible == 0) {
            cs.access_qcd().set_irrev_quant(qstep > 0 ? qstep : 0.005f);
        }
        cs.set_planar(!(color_transform != 0 && comps >= 3));

        vec_outfile out;
        // Room for a lossless codestream a little larger than the raw samples, so the buffer is never moved while OpenJPH
        // writes (untouched capacity costs address space, not memory).
        out.data.reserve(static_cast<size_t>(width) * height * comps * bytes_per_sample + 65536);
        cs.write_headers(&out);

        const size_t row_samples = static_cast<size_t>(width) * comps;
        const fill_fn fill = pick_fill(bytes_per_sample, is_signed != 0, comps);
        ojph::ui32 next = 0;
        ojph::line_buf* line = cs.exchange(nullptr, next);
        const bool planar = cs.is_planar();
        const uint32_t outer = planar ? comps : height;
        const uint32_t inner = planar ? height : comps;
        for (uint32_t a = 0; a < outer; ++a) {
            for (uint32_t b = 0; b < inner; ++b) {
                const uint32_t c = planar ? a : b;
                const uint32_t y = planar ? b : a;
                fill(line->i32, static_cast<const uint8_t*>(pixels) + (y * row_samples + c) * bytes_per_sample, width, comps,
                     bit_depth);
                line = cs.exchange(line, next);
            }
        }
        cs.flush();

        auto* result = new encoded();
        result->bytes.swap(out.data);
        cs.close();
        *handle = result;
        *data = result->bytes.data();
        *size = result->bytes.size();
        return 0;
    } catch (const std::exception& e) {
        return fail(e.what());
    } catch (...) {
        return fail("unknown OpenJPH failure");
    }
}

// Reads the main header: extent, components, bit depth and signedness of component 0, whether all components agree,
// reversibility and the colour transform.
VNA_API int vna_ojph_read_header(const uint8_t* data, size_t size, uint32_t* width, uint32_t* height, uint32_t* comps,
                                 uint32_t* bit_depth, int* is_signed, int* reversible, int* color_transform)
{
    begin();
    try {
        if (data == nullptr || size < 2) {
            return fail("empty codestream");
        }
        ojph::mem_infile in;
        in.open(data, size);
        ojph::codestream cs;
        cs.read_headers(&in);
        ojph::param_siz siz = cs.access_siz();
        ojph::point extent = siz.get_image_extent();
        ojph::point offset = siz.get_image_offset();
        *width = extent.x - offset.x;
        *height = extent.y - offset.y;
        *comps = siz.get_num_components();
        *bit_depth = siz.get_bit_depth(0);
        *is_signed = siz.is_signed(0) ? 1 : 0;
        for (uint32_t c = 1; c < *comps; ++c) {
            ojph::point d = siz.get_downsampling(c);
            if (siz.get_bit_depth(c) != *bit_depth || siz.is_signed(c) != (*is_signed != 0) || d.x != 1 || d.y != 1) {
                cs.close();
                return fail("components differ in depth, sign or sampling");
            }
        }
        ojph::param_cod cod = cs.access_cod();
        *reversible = cod.is_reversible() ? 1 : 0;
        *color_transform = cod.is_using_color_transform() ? 1 : 0;
        cs.close();
        return 0;
    } catch (const std::exception& e) {
        return fail(e.what());
    } catch (...) {
        return fail("unknown OpenJPH failure");
    }
}

// Decodes a whole codestream into interleaved samples (bytes_per_sample 1 or 2) of exactly width x height x comps,
// clamping to the codestream's range (irreversible data can overshoot). The caller checked the header first.
VNA_API int vna_ojph_decode(const uint8_t* data, size_t size, void* out, size_t out_size, uint32_t width, uint32_t height,
                            uint32_t comps, uint32_t bytes_per_sample)
{
    begin();
    try {
        if (data == nullptr || out == nullptr || (bytes_per_sample != 1 && bytes_per_sample != 2)) {
            return fail("invalid arguments");
        }
        if (out_size < static_cast<size_t>(width) * height * comps * bytes_per_sample) {
            return fail("output buffer too small");
        }
        ojph::mem_infile in;
        in.open(data, size);
        ojph::codestream cs;
        cs.enable_resilience();
        cs.read_headers(&in);
        ojph::param_siz siz = cs.access_siz();
        ojph::point extent = siz.get_image_extent();
        ojph::point offset = siz.get_image_offset();
        if (extent.x - offset.x != width || extent.y - offset.y != height || siz.get_num_components() != comps) {
            cs.close();
            return fail("codestream size differs from the expected frame");
        }
        const uint32_t depth = siz.get_bit_depth(0);
        const bool sgn = siz.is_signed(0);
        for (uint32_t c = 0; c < comps; ++c) {
            ojph::point d = siz.get_downsampling(c);
            if (siz.get_bit_depth(c) != depth || siz.is_signed(c) != sgn || d.x != 1 || d.y != 1) {
                cs.close();
                return fail("components differ in depth, sign or sampling");
            }
        }
        if (depth > bytes_per_sample * 8) {
            cs.close();
            return fail("codestream bit depth exceeds the output sample size");
        }
        const int32_t lo = sgn ? -(1 << (depth - 1)) : 0;
        const int32_t hi = sgn ? (1 << (depth - 1)) - 1 : static_cast<int32_t>((1u << depth) - 1u);
        cs.set_planar(!(cs.access_cod().is_using_color_transform() && comps >= 3));
        cs.create();
        auto* o8 = static_cast<uint8_t*>(out);
        auto* o16 = static_cast<uint16_t*>(out);
        const size_t row_samples = static_cast<size_t>(width) * comps;
        const bool planar = cs.is_planar();
        const uint32_t outer = planar ? comps : height;
        const uint32_t inner = planar ? height : comps;
        for (uint32_t a = 0; a < outer; ++a) {
            for (uint32_t b = 0; b < inner; ++b) {
                ojph::ui32 comp = 0;
                ojph::line_buf* line = cs.pull(comp);
                const uint32_t y = planar ? b : a;
                if (line == nullptr || comp >= comps) {
                    cs.close();
                    return fail("decoder returned no line");
                }
                const ojph::si32* src = line->i32;
                const size_t base = y * row_samples + comp;
                if (bytes_per_sample == 1) {
                    for (uint32_t x = 0; x < width; ++x) {
                        int32_t v = src[x];
                        v = v < lo ? lo : (v > hi ? hi : v);
                        o8[base + static_cast<size_t>(x) * comps] = static_cast<uint8_t>(v);
                    }
                } else {
                    for (uint32_t x = 0; x < width; ++x) {
                        int32_t v = src[x];
                        v = v < lo ? lo : (v > hi ? hi : v);
                        o16[base + static_cast<size_t>(x) * comps] = static_cast<uint16_t>(v);
                    }
                }
            }
        }
        cs.close();
        return 0;
    } catch (const std::exception& e) {
        return fail(e.what());
    } catch (...) {
        return fail("unknown OpenJPH failure");
    }
}
