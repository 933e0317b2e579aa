using System.Security.Cryptography;
using Vna.Codecs.Pixels;
using Vna.Codecs.Transcoding;
using Vna.Core;
using Vna.Dicom;

namespace Vna.Codecs.Tests;

/// <summary>
/// The seal on the archive's own HTJ2K encodes (<see cref="CodestreamSeal"/>): sealed frames decode through OpenJPH and come
/// back exact; a codestream from outside, changed by a single byte, sealed under another key or carrying a seal copied from
/// other pixels never reaches OpenJPH; a seal never outlives the pixels it was made for.
/// </summary>
public sealed class CodestreamSealTests
{
    private const string Htj2k = "1.2.840.10008.1.2.4.201";
    private const string Htj2kRpcl = "1.2.840.10008.1.2.4.202";
    private const string Htj2kLossy = "1.2.840.10008.1.2.4.203";
    private const string Explicit = "1.2.840.10008.1.2.1";

    private static readonly byte[] Key = [.. Enumerable.Range(1, 32).Select(i => (byte)(i * 7))];

    [Theory]
    [InlineData(Htj2k, 16, 12, true, 1, 3)]
    [InlineData(Htj2k, 8, 8, false, 3, 2)]
    [InlineData(Htj2kRpcl, 16, 16, false, 1, 2)]
    public async Task The_archives_own_htj2k_is_sealed_and_decodes_through_openjph_exactly(string ts, int allocated, int stored, bool signed, int samples, int frames)
    {
        var info = new FrameInfo(77, 61, samples, allocated, stored, signed);
        var input = await TranscodeHarness.ToBytesAsync(SyntheticImage.Create(info, frames, seed: 11));
        var transcoder = new DicomInstanceTranscoder(new CodecsOptions(), new CodestreamSeal(Key));

        var encoded = await TranscodeAsync(transcoder, input, ts);
        using (var file = await TranscodeHarness.ReadAsync(encoded))
        {
            Assert.Equal(frames * CodestreamSeal.TagLength, new CodestreamSeal(Key).Read(file.Dataset, frames)?.Length);
        }

        var decoded = await TranscodeAsync(transcoder, encoded, Explicit);
        Assert.Equal(frames, transcoder.SealedFramesDecoded);
        var expected = TranscodeHarness.Samples(SyntheticImage.Pixels(info, frames, 11), info, frames);
        Assert.Equal(expected, await SamplesAsync(decoded, info, frames));

        // Cross-check: OpenJPEG (a transcoder without the key) reads the same pixels from the same file.
        var (_, byOpenJpeg) = await TranscodeHarness.DecodeAsync(encoded);
        Assert.Equal(expected, TranscodeHarness.Samples(byOpenJpeg, info, frames));
    }

    [Fact]
    public async Task A_lossy_htj2k_encode_is_sealed_too()
    {
        var info = new FrameInfo(64, 64, 1, 16, 12, false);
        var input = await TranscodeHarness.ToBytesAsync(SyntheticImage.Create(info, seed: 5));
        var transcoder = new DicomInstanceTranscoder(new CodecsOptions(), new CodestreamSeal(Key));
        var encoded = await TranscodeAsync(transcoder, input, Htj2kLossy);
        var viaOpenJph = await TranscodeAsync(transcoder, encoded, Explicit);
        Assert.Equal(1, transcoder.SealedFramesDecoded);
        // Two irreversible (9/7 float) decoders agree to rounding, not to the bit.
        var (_, viaOpenJpeg) = await TranscodeHarness.DecodeAsync(encoded);
        var a = TranscodeHarness.Samples(viaOpenJpeg, info, 1);
        var b = await SamplesAsync(viaOpenJph, info, 1);
        var worst = a.Zip(b, (x, y) => Math.Abs(x - y)).Max();
        Assert.True(worst <= 2, $"OpenJPH and OpenJPEG decode the lossy codestream {worst} apart");
    }

    [Theory]
    [InlineData(Explicit)]
    [InlineData("1.2.840.10008.1.2.4.90")]
    [InlineData("1.2.840.10008.1.2.4.80")]
    public async Task A_seal_never_outlives_the_pixels_it_was_made_for(string ts)
    {
        var info = new FrameInfo(40, 30, 1, 16, 16, false);
        var input = await TranscodeHarness.ToBytesAsync(SyntheticImage.Create(info, seed: 2));
        var transcoder = new DicomInstanceTranscoder(new CodecsOptions(), new CodestreamSeal(Key));
        var sealedFile = await TranscodeAsync(transcoder, input, Htj2k);
        var other = await TranscodeAsync(transcoder, sealedFile, ts);
        using var file = await TranscodeHarness.ReadAsync(other);
        Assert.DoesNotContain(file.Dataset, item => item.Tag.Group == CodestreamSeal.Group);

        // Even a transcoder without a key drops a seal it cannot check when it re-encodes.
        var unsealed = await TranscodeAsync(new DicomInstanceTranscoder(new CodecsOptions()), sealedFile, Htj2kRpcl);
        using var rpcl = await TranscodeHarness.ReadAsync(unsealed);
        Assert.DoesNotContain(rpcl.Dataset, item => item.Tag.Group == CodestreamSeal.Group);
    }

    [Fact]
    public async Task Another_key_or_a_seal_copied_onto_other_pixels_is_not_trusted()
    {
        var info = new FrameInfo(50, 40, 1, 16, 12, false);
        var transcoder = new DicomInstanceTranscoder(new CodecsOptions(), new CodestreamSeal(Key));
        var first = await TranscodeAsync(transcoder, await TranscodeHarness.ToBytesAsync(SyntheticImage.Create(info, seed: 1)), Htj2k);
        var second = await TranscodeAsync(transcoder, await TranscodeHarness.ToBytesAsync(SyntheticImage.Create(info, seed: 2)), Htj2k);

        var otherKey = new DicomInstanceTranscoder(new CodecsOptions(), new CodestreamSeal(RandomNumberGenerator.GetBytes(32)));
        var decoded = await TranscodeAsync(otherKey, first, Explicit);
        Assert.Equal(0, otherKey.SealedFramesDecoded);
        Assert.Equal(TranscodeHarness.Samples(SyntheticImage.Pixels(info, 1, 1), info, 1), await SamplesAsync(decoded, info, 1));

        // The second file's pixels under the first file's seal block.
        using var donor = await TranscodeHarness.ReadAsync(first);
        using var target = await TranscodeHarness.ReadAsync(second);
        target.Dataset.RemoveAll(item => item.Tag.Group == CodestreamSeal.Group);
        foreach (var item in donor.Dataset.Where(item => item.Tag.Group == CodestreamSeal.Group))
        {
            target.Dataset.Add(item);
        }

        var forged = await TranscodeHarness.ToBytesAsync(target);
        var before = transcoder.SealedFramesDecoded;
        decoded = await TranscodeAsync(transcoder, forged, Explicit);
        Assert.Equal(before, transcoder.SealedFramesDecoded);
        Assert.Equal(TranscodeHarness.Samples(SyntheticImage.Pixels(info, 1, 2), info, 1), await SamplesAsync(decoded, info, 1));
    }

    /// <summary>
    /// 200 mutations of a sealed codestream (the seal kept): none reaches OpenJPH — only a mutation that left the bytes as they
    /// were may — and every one either decodes or is refused with a <see cref="TranscodeException"/>.
    /// </summary>
    [Fact]
    public async Task Mutated_sealed_codestreams_go_to_openjpeg_and_never_fault()
    {
        var info = new FrameInfo(64, 48, 1, 16, 12, false);
        var transcoder = new DicomInstanceTranscoder(new CodecsOptions(), new CodestreamSeal(Key));
        var sealedFile = await TranscodeAsync(transcoder, await TranscodeHarness.ToBytesAsync(SyntheticImage.Create(info, seed: 9)), Htj2k);
        using var file = await TranscodeHarness.ReadAsync(sealedFile);
        var fragments = (DicomFragmentSequence)file.Dataset[DicomTag.PixelData]!;
        var codestream = (await fragments.Fragments[0].GetValueAsync(TestContext.Current.CancellationToken)).ToArray();
        var random = new Random(0x5ea1);
        int unchanged = 0, decoded = 0, refused = 0;
        for (var i = 0; i < 200; i++)
        {
            var mutated = BadInputTests.Mutate(codestream, random);
            if (mutated.AsSpan().SequenceEqual(codestream))
            {
                unchanged++;
            }

            if ((mutated.Length & 1) == 1)
            {
                mutated = [.. mutated, 0];
            }

            var replaced = new DicomFragmentSequence(DicomTag.PixelData, DicomVR.OB);
            replaced.Add(new DicomFragment(mutated));
            file.Dataset.AddOrUpdate(replaced);
            try
            {
                await TranscodeAsync(transcoder, await TranscodeHarness.ToBytesAsync(file), Explicit);
                decoded++;
            }
            catch (TranscodeException)
            {
                refused++;
            }
        }

        Assert.Equal(200, decoded + refused);
        Assert.True(refused > 0, "no mutation was refused");
        Assert.Equal(unchanged, transcoder.SealedFramesDecoded);
    }

    [Fact]
    public void The_key_file_is_made_once_readable_by_its_owner_only_and_read_back()
    {
        var dir = Directory.CreateTempSubdirectory("vna-seal-key-");
        try
        {
            var path = Path.Combine(dir.FullName, "keys", "codestream-seal.key");
            var made = CodestreamSeal.LoadOrCreate(path);
            Assert.Equal(32, new FileInfo(path).Length);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }

            Assert.Equal(made.KeyId, CodestreamSeal.LoadOrCreate(path).KeyId);
            Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));

            File.WriteAllBytes(path, new byte[8]);
            var ex = Assert.Throws<InvalidOperationException>(() => CodestreamSeal.LoadOrCreate(path));
            Assert.Contains("8 bytes", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static async Task<byte[]> TranscodeAsync(DicomInstanceTranscoder transcoder, byte[] input, string ts)
    {
        using var src = new MemoryStream(input, writable: false);
        using var dst = new MemoryStream();
        await transcoder.TranscodeAsync(src, ts, dst, null, TestContext.Current.CancellationToken);
        return dst.ToArray();
    }

    private static async Task<int[]> SamplesAsync(byte[] native, FrameInfo info, int frames)
    {
        using var file = await TranscodeHarness.ReadAsync(native);
        return TranscodeHarness.Samples(file.Dataset.GetElement(DicomTag.PixelData)!.GetValue().ToArray(), info, frames);
    }
}
