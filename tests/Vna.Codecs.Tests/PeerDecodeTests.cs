using Vna.Codecs.Pixels;
using Vna.Dicom;

namespace Vna.Codecs.Tests;

/// <summary>
/// Our encoded files read by other implementations: pydicom (Pillow's OpenJPEG and libjpeg, its RLE handler), DCMTK
/// (dcmdjpls, dcmdrle, dcmdjpeg) and OpenJPEG's opj_decompress (our J2K and HTJ2K codestreams) give back the same pixels.
/// </summary>
public sealed class PeerDecodeTests
{
    private const string CtSample = "transfer-syntax/jpeg2000-lossless/CT1_J2KR.dcm";

    [Theory]
    [InlineData("1.2.840.10008.1.2.4.90")]
    [InlineData("1.2.840.10008.1.2.5")]
    public async Task Pydicom_decodes_our_files_to_the_same_pixels(string ts)
    {
        foreach (var (input, info, frames, expected) in await InputsAsync())
        {
            var (encoded, _) = await TranscodeHarness.TranscodeAsync(input, ts);
            var path = await WriteTempAsync(encoded);
            try
            {
                var reference = await ReferenceDecoder.PydicomAsync(path, info, frames);
                Assert.NotNull(reference);
                var (max, first) = ReferenceDecoder.Compare(expected, reference);
                Assert.True(max == 0, $"pydicom decodes our {ts} of {info} differently: {first}");
            }
            finally
            {
                File.Delete(path);
            }
        }
    }

    [Theory]
    [InlineData("1.2.840.10008.1.2.4.80", "dcmdjpls")]
    [InlineData("1.2.840.10008.1.2.5", "dcmdrle")]
    public async Task Dcmtk_decodes_our_files_to_the_same_pixels(string ts, string tool)
    {
        foreach (var (input, info, _, expected) in await InputsAsync())
        {
            var (encoded, _) = await TranscodeHarness.TranscodeAsync(input, ts);
            var path = await WriteTempAsync(encoded);
            try
            {
                var (reference, _) = await ReferenceDecoder.DcmtkAsync(tool, path);
                var (max, first) = ReferenceDecoder.Compare(expected, reference);
                Assert.True(max == 0, $"{tool} decodes our {ts} of {info} differently: {first}");
            }
            finally
            {
                File.Delete(path);
            }
        }
    }

    [Fact]
    public async Task Dcmtk_and_pydicom_decode_our_jpeg_baseline_like_we_do()
    {
        var info = new FrameInfo(96, 64, 3, 8, 8, false);
        var input = await TranscodeHarness.ToBytesAsync(SyntheticImage.Create(info));
        var (encoded, result) = await TranscodeHarness.TranscodeAsync(input, "1.2.840.10008.1.2.4.50");
        Assert.True(result.Lossy);
        var (ds, pixels) = await TranscodeHarness.DecodeAsync(encoded);
        Assert.Equal("RGB", ds.GetString(DicomTag.PhotometricInterpretation));
        var ours = TranscodeHarness.Samples(pixels, info, 1);
        var path = await WriteTempAsync(encoded);
        try
        {
            var (dcmtk, _) = await ReferenceDecoder.DcmtkAsync("dcmdjpeg", path);
            Assert.True(ReferenceDecoder.Compare(ours, dcmtk).MaxDifference <= 3, "dcmdjpeg decodes our JPEG baseline differently");
            var pydicom = await ReferenceDecoder.PydicomAsync(path, info, 1);
            Assert.NotNull(pydicom);
            Assert.True(ReferenceDecoder.Compare(ours, pydicom).MaxDifference <= 3, "pydicom decodes our JPEG baseline differently");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("1.2.840.10008.1.2.4.90")]
    [InlineData("1.2.840.10008.1.2.4.201")]
    [InlineData("1.2.840.10008.1.2.4.202")]
    public async Task Opj_decompress_decodes_our_codestreams_to_the_same_pixels(string ts)
    {
        var opj = PeerTools.Tool("opj_decompress", "libopenjp2-tools");
        foreach (var (input, info, frames, expected) in await InputsAsync())
        {
            var (encoded, _) = await TranscodeHarness.TranscodeAsync(input, ts);
            using var file = await TranscodeHarness.ReadAsync(encoded);
            var fragments = (DicomFragmentSequence)file.Dataset[DicomTag.PixelData]!;
            var decoded = new int[expected.Length];
            var ranges = fragments.GetFrameFragments(frames);
            for (var f = 0; f < frames; f++)
            {
                // (A sample already in the target syntax passes through as stored, several fragments per frame.)
                var (firstFragment, count) = ranges[f].GetOffsetAndLength(fragments.Fragments.Count);
                var codestream = fragments.Fragments.Skip(firstFragment).Take(count).SelectMany(x => x.InlineValue.ToArray()).ToArray();
                if (codestream[^1] == 0 && codestream[^2] == 0xD9 && codestream[^3] == 0xFF)
                {
                    codestream = codestream[..^1]; // the fragment's even-length padding is not part of the codestream
                }
                var j2k = Path.Combine(Path.GetTempPath(), $"vna-opj-{Guid.NewGuid():N}.j2k");
                var raw = Path.ChangeExtension(j2k, ".rawl");
                await File.WriteAllBytesAsync(j2k, codestream, TestContext.Current.CancellationToken);
                try
                {
                    var (code, stdout, stderr) = await PeerTools.RunAsync(opj, ["-i", j2k, "-o", raw]);
                    Assert.True(code == 0, $"opj_decompress failed on our {ts}: {stdout}{stderr}");
                    var bytes = await File.ReadAllBytesAsync(raw, TestContext.Current.CancellationToken);
                    ReadPlanarRaw(bytes, info, decoded.AsSpan((int)(f * info.Samples), (int)info.Samples));
                }
                finally
                {
                    File.Delete(j2k);
                    File.Delete(raw);
                }
            }

            var (max, first) = ReferenceDecoder.Compare(expected, decoded);
            Assert.True(max == 0, $"opj_decompress decodes our {ts} of {info} differently: {first}");
        }
    }

    /// <summary>opj_decompress's RAWL output: one plane per component, little endian, 1 or 2 bytes per sample, signed when the codestream is.</summary>
    internal static void ReadPlanarRaw(byte[] bytes, FrameInfo info, Span<int> destination)
    {
        var pixels = info.Columns * info.Rows;
        var bytesPerSample = info.BitsStored > 8 ? 2 : 1;
        Assert.Equal(pixels * info.SamplesPerPixel * bytesPerSample, bytes.Length);
        for (var c = 0; c < info.SamplesPerPixel; c++)
        {
            for (var i = 0; i < pixels; i++)
            {
                var o = ((c * pixels) + i) * bytesPerSample;
                // Signed samples of fewer bits than the raw word come masked to their precision: sign-extend from Bits Stored.
                var raw = bytesPerSample == 1 ? bytes[o] : bytes[o] | (bytes[o + 1] << 8);
                var shift = 32 - info.BitsStored;
                destination[(i * info.SamplesPerPixel) + c] = info.Signed ? (raw << shift) >> shift : raw & (int)((1L << info.BitsStored) - 1);
            }
        }
    }

    private static async Task<List<(byte[] Input, FrameInfo Info, int Frames, int[] Expected)>> InputsAsync()
    {
        var list = new List<(byte[], FrameInfo, int, int[])>();
        foreach (var shape in new[] { "s16 grey 128x96", "u8 rgb 65x31", "u12 grey 64x64 x5 frames", "s13 grey 70x70" })
        {
            var (info, frames, planar) = SyntheticRoundTripTests.Shapes[shape];
            var input = await TranscodeHarness.ToBytesAsync(SyntheticImage.Create(info, frames, seed: 7, planar: planar));
            list.Add((input, info, frames, TranscodeHarness.Samples(SyntheticImage.Pixels(info, frames, 7), info, frames)));
        }

        if (Vna.Tests.Shared.TestSamples.Root is not null && File.Exists(Path.Combine(Vna.Tests.Shared.TestSamples.Root, CtSample)))
        {
            var input = await TranscodeHarness.LoadSampleAsync(Vna.Tests.Shared.TestSamples.PathOf(CtSample));
            var (ds, pixels) = await TranscodeHarness.DecodeAsync(input);
            var info = TranscodeHarness.InfoOf(ds);
            list.Add((input, info, 1, TranscodeHarness.Samples(pixels, info, 1)));
        }

        return list;
    }

    private static async Task<string> WriteTempAsync(byte[] bytes)
    {
        var path = Path.Combine(Path.GetTempPath(), $"vna-codecs-{Guid.NewGuid():N}.dcm");
        await File.WriteAllBytesAsync(path, bytes, TestContext.Current.CancellationToken);
        return path;
    }
}
