using Vna.Codecs.Pixels;
using Vna.Core;
using Vna.Dicom;

namespace Vna.Codecs.Tests;

/// <summary>
/// Bad input — corrupt and truncated codestreams, header lies, malformed files, mutated codestreams — gives a
/// <see cref="TranscodeException"/> for that object (or, for a mutation that stays decodable, pixels), never another exception,
/// a crash or a native memory fault (which would kill this test process).
/// </summary>
public sealed class BadInputTests
{
    public static readonly TheoryData<string> EncodableSyntaxes = new()
    {
        "1.2.840.10008.1.2.5",
        "1.2.840.10008.1.2.4.90",
        "1.2.840.10008.1.2.4.91",
        "1.2.840.10008.1.2.4.201",
        "1.2.840.10008.1.2.4.202",
        "1.2.840.10008.1.2.4.203",
        "1.2.840.10008.1.2.4.80",
        "1.2.840.10008.1.2.4.81",
        "1.2.840.10008.1.2.4.50",
    };

    [Theory]
    [MemberData(nameof(EncodableSyntaxes))]
    public async Task Truncated_fragment_is_a_TranscodeException(string ts)
    {
        var encoded = await EncodeAsync(ts);
        var bad = await RewriteFragmentAsync(encoded, f => f[..(f.Length / 2)]);
        var ex = await Assert.ThrowsAsync<TranscodeException>(() => TranscodeHarness.TranscodeAsync(bad, DicomTransferSyntax.ExplicitVRLittleEndian.Uid));
        Assert.Contains("Frame 1", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(EncodableSyntaxes))]
    public async Task Garbage_instead_of_a_codestream_is_a_TranscodeException(string ts)
    {
        var encoded = await EncodeAsync(ts);
        var random = new Random(42);
        var bad = await RewriteFragmentAsync(encoded, f =>
        {
            var garbage = new byte[f.Length];
            random.NextBytes(garbage);
            return garbage;
        });
        await Assert.ThrowsAsync<TranscodeException>(() => TranscodeHarness.TranscodeAsync(bad, DicomTransferSyntax.ExplicitVRLittleEndian.Uid));
    }

    [Theory]
    [InlineData("1.2.840.10008.1.2.4.90", "Rows", 0x0028, 0x0010, 32)]
    [InlineData("1.2.840.10008.1.2.4.201", "Columns", 0x0028, 0x0011, 200)]
    [InlineData("1.2.840.10008.1.2.4.80", "Rows", 0x0028, 0x0010, 30)]
    [InlineData("1.2.840.10008.1.2.5", "Columns", 0x0028, 0x0011, 65)]
    [InlineData("1.2.840.10008.1.2.4.90", "Bits Allocated", 0x0028, 0x0100, 8)]
    [InlineData("1.2.840.10008.1.2.4.201", "Bits Allocated", 0x0028, 0x0100, 8)]
    [InlineData("1.2.840.10008.1.2.4.80", "Bits Allocated", 0x0028, 0x0100, 8)]
    [InlineData("1.2.840.10008.1.2.4.90", "Bits Stored", 0x0028, 0x0101, 20)]
    [InlineData("1.2.840.10008.1.2.4.90", "Samples per Pixel", 0x0028, 0x0002, 3)]
    [InlineData("1.2.840.10008.1.2.1", "Rows", 0x0028, 0x0010, 200)]
    [InlineData("1.2.840.10008.1.2.1", "Bits Allocated", 0x0028, 0x0100, 32)]
    public async Task Header_lies_are_a_TranscodeException(string ts, string what, ushort group, ushort element, int value)
    {
        _ = what;
        var encoded = ts == "1.2.840.10008.1.2.1"
            ? await TranscodeHarness.ToBytesAsync(SyntheticImage.Create(new FrameInfo(64, 64, 1, 16, 12, false)))
            : await EncodeAsync(ts);
        using var file = await TranscodeHarness.ReadAsync(encoded);
        file.Dataset.AddOrUpdateValues(new DicomTag(group, element), DicomVR.US, (ushort)value);
        var bad = await TranscodeHarness.ToBytesAsync(file);
        var target = ts == "1.2.840.10008.1.2.1" ? "1.2.840.10008.1.2.4.90" : DicomTransferSyntax.ExplicitVRLittleEndian.Uid;
        await Assert.ThrowsAsync<TranscodeException>(() => TranscodeHarness.TranscodeAsync(bad, target));
    }

    [Fact]
    public async Task More_frames_claimed_than_fragments_is_a_TranscodeException()
    {
        var encoded = await EncodeAsync("1.2.840.10008.1.2.4.90");
        using var file = await TranscodeHarness.ReadAsync(encoded);
        file.Dataset.AddOrUpdate(DicomTag.NumberOfFrames, "4");
        var bad = await TranscodeHarness.ToBytesAsync(file);
        await Assert.ThrowsAsync<TranscodeException>(() => TranscodeHarness.TranscodeAsync(bad, DicomTransferSyntax.ExplicitVRLittleEndian.Uid));
    }

    [Fact]
    public async Task Not_dicom_is_a_TranscodeException()
    {
        var random = new Random(3);
        var junk = new byte[4096];
        random.NextBytes(junk);
        await Assert.ThrowsAsync<TranscodeException>(() => TranscodeHarness.TranscodeAsync(junk, "1.2.840.10008.1.2.4.90"));
    }

    [Fact]
    public async Task Malformed_samples_give_pixels_or_a_TranscodeException()
    {
        var root = Vna.Tests.Shared.TestSamples.PathOf("MANIFEST.tsv");
        var dir = Path.Combine(Path.GetDirectoryName(root)!, "malformed");
        Assert.SkipUnless(Directory.Exists(dir), "no malformed/ samples");
        var tried = 0;
        foreach (var path in Directory.EnumerateFiles(dir, "*.dcm"))
        {
            var input = await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken);
            foreach (var ts in new[] { "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.4.201" })
            {
                tried++;
                try
                {
                    await TranscodeHarness.TranscodeAsync(input, ts);
                }
                catch (TranscodeException)
                {
                    // a clear per-object error is what we want
                }
            }
        }

        Assert.True(tried > 0);
    }

    /// <summary>
    /// 200 mutated codestreams per decoder (bytes changed anywhere or in the headers, truncated, bytes inserted), from a fixed
    /// seed so every run feeds the same ones. HTJ2K goes through the default decoder (OpenJPEG; OpenJPH 0.9.0 aborts or faults
    /// on about 1% of these, see <see cref="CodecsOptions.PreferOpenJphDecoder"/>).
    /// </summary>
    [Theory]
    [InlineData("1.2.840.10008.1.2.5")]
    [InlineData("1.2.840.10008.1.2.4.90")]
    [InlineData("1.2.840.10008.1.2.4.91")]
    [InlineData("1.2.840.10008.1.2.4.201")]
    [InlineData("1.2.840.10008.1.2.4.202")]
    [InlineData("1.2.840.10008.1.2.4.203")]
    [InlineData("1.2.840.10008.1.2.4.80")]
    [InlineData("1.2.840.10008.1.2.4.81")]
    [InlineData("1.2.840.10008.1.2.4.50")]
    [InlineData("1.2.840.10008.1.2.4.57")]
    [InlineData("1.2.840.10008.1.2.4.51")]
    public async Task Mutated_codestreams_never_fault(string ts)
    {
        const int mutations = 200;
        var (codestream, info, photometric) = await SeedCodestreamAsync(ts);
        var codec = TranscodeHarness.Transcoder.Registry.Find(ts)!;
        var random = new Random(0x5eed);
        var destination = new byte[info.FrameBytes];
        int decoded = 0, refused = 0;
        for (var i = 0; i < mutations; i++)
        {
            var mutated = Mutate(codestream, random);
            try
            {
                codec.Decode(mutated, info, photometric, destination);
                decoded++;
            }
            catch (TranscodeException)
            {
                refused++;
            }
        }

        Assert.Equal(mutations, decoded + refused);
        Assert.True(refused > 0, $"no mutation of {ts} was refused: the decoder does not check its input");
    }

    internal static byte[] Mutate(byte[] source, Random random)
    {
        var bytes = (byte[])source.Clone();
        switch (random.Next(4))
        {
            case 0:
                for (var k = random.Next(1, 9); k > 0; k--)
                {
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                }

                return bytes;
            case 1:
                return bytes[..random.Next(1, bytes.Length)];
            case 2:
                // Hit the headers, where lengths and sizes live.
                for (var k = random.Next(1, 4); k > 0; k--)
                {
                    bytes[random.Next(Math.Min(bytes.Length, 200))] = (byte)random.Next(256);
                }

                return bytes;
            default:
                var at = random.Next(bytes.Length);
                var insert = new byte[random.Next(1, 64)];
                random.NextBytes(insert);
                return [.. bytes[..at], .. insert, .. bytes[at..]];
        }
    }

    private static async Task<(byte[] Codestream, FrameInfo Info, string Photometric)> SeedCodestreamAsync(string ts)
    {
        byte[] encoded;
        if (ts is "1.2.840.10008.1.2.4.57" or "1.2.840.10008.1.2.4.51")
        {
            var sample = ts == "1.2.840.10008.1.2.4.57"
                ? "transfer-syntax/jpeg-lossless-p14/CTImage_JPEGProcess14.dcm"
                : "transfer-syntax/jpeg-extended/CTImage_JPEGProcess2_4.dcm";
            encoded = await File.ReadAllBytesAsync(Vna.Tests.Shared.TestSamples.PathOf(sample), TestContext.Current.CancellationToken);
        }
        else
        {
            encoded = await EncodeAsync(ts);
        }

        using var file = await TranscodeHarness.ReadAsync(encoded);
        var fragments = (DicomFragmentSequence)file.Dataset[DicomTag.PixelData]!;
        var bytes = fragments.Fragments.SelectMany(f => f.InlineValue.ToArray()).ToArray();
        return (bytes, TranscodeHarness.InfoOf(file.Dataset), file.Dataset.GetString(DicomTag.PhotometricInterpretation)!);
    }

    private static async Task<byte[]> EncodeAsync(string ts)
    {
        var info = ts == "1.2.840.10008.1.2.4.50" ? new FrameInfo(64, 48, 3, 8, 8, false) : new FrameInfo(64, 48, 1, 16, 12, false);
        var input = await TranscodeHarness.ToBytesAsync(SyntheticImage.Create(info, seed: 11));
        var (encoded, _) = await TranscodeHarness.TranscodeAsync(input, ts);
        return encoded;
    }

    private static async Task<byte[]> RewriteFragmentAsync(byte[] encoded, Func<byte[], byte[]> change)
    {
        using var file = await TranscodeHarness.ReadAsync(encoded);
        var fragments = (DicomFragmentSequence)file.Dataset[DicomTag.PixelData]!;
        var replaced = new DicomFragmentSequence(DicomTag.PixelData, DicomVR.OB);
        foreach (var fragment in fragments.Fragments)
        {
            var value = change(fragment.InlineValue.ToArray());
            if ((value.Length & 1) != 0)
            {
                value = [.. value, 0];
            }

            replaced.Add(new DicomFragment(value));
        }

        file.Dataset.AddOrUpdate(replaced);
        return await TranscodeHarness.ToBytesAsync(file);
    }
}
