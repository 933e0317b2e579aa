using Vna.Codecs.Native;
using Vna.Codecs.Pixels;
using Vna.Codecs.Transcoding;
using Vna.Core;
using Vna.Dicom;

namespace Vna.Codecs.Tests;

/// <summary>The port's contract: honest CanTranscode, any-to-any, multi-frame in parallel through a spool, deflate, big endian, JP2 input.</summary>
public sealed class TranscoderBehaviourTests
{
    [Theory]
    [InlineData("1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.201", true)]
    [InlineData("1.2.840.10008.1.2.4.201", "1.2.840.10008.1.2.4.80", true)]
    [InlineData("1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2", true)]
    [InlineData("1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.90", true)]
    [InlineData("1.2.840.10008.1.2.1", "1.2.840.10008.1.2.4.51", false)]
    [InlineData("1.2.840.10008.1.2.1", "1.2.840.10008.1.2.4.70", false)]
    [InlineData("1.2.840.10008.1.2.4.111", "1.2.840.10008.1.2.1", false)]
    [InlineData("1.2.840.10008.1.2.1", "1.2.3.4", false)]
    [InlineData("1.2.3.4", "1.2.3.4", true)]
    [InlineData("1.2.840.10008.1.2.2", "1.2.840.10008.1.2.1.99", true)]
    public void CanTranscode_says_what_it_can(string from, string to, bool expected) =>
        Assert.Equal(expected, TranscodeHarness.Transcoder.CanTranscode(from, to));

    [Fact]
    public void A_missing_library_is_named_with_its_package()
    {
        var message = NativeLibraryProbe.Check("libvna-absent.so.42", "libvna-absent42", "A test codec");
        Assert.NotNull(message);
        Assert.Contains("libvna-absent42", message, StringComparison.Ordinal);
        Assert.Contains("libvna-absent.so.42", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unsupported_target_is_a_TranscodeException_naming_it()
    {
        var input = await TranscodeHarness.ToBytesAsync(SyntheticImage.Create(new FrameInfo(8, 8, 1, 8, 8, false)));
        var ex = await Assert.ThrowsAsync<TranscodeException>(() => TranscodeHarness.TranscodeAsync(input, "1.2.840.10008.1.2.4.70"));
        Assert.Contains("Lossless", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Many_frames_go_through_a_spool_in_parallel_and_come_back_exact()
    {
        var info = new FrameInfo(96, 80, 1, 16, 12, false);
        const int frames = 24;
        var input = await TranscodeHarness.ToBytesAsync(SyntheticImage.Create(info, frames, seed: 3));
        var spool = Directory.CreateTempSubdirectory("vna-spool-test-");
        try
        {
            var transcoder = new DicomInstanceTranscoder(new CodecsOptions { InMemoryOutputLimit = 1, MaxDegreeOfParallelism = 3, SpoolDirectory = spool.FullName });
            byte[] encoded;
            using (var src = new MemoryStream(input))
            using (var dst = new MemoryStream())
            {
                await transcoder.TranscodeAsync(src, "1.2.840.10008.1.2.4.201", dst, null, TestContext.Current.CancellationToken);
                encoded = dst.ToArray();
            }

            Assert.Empty(spool.GetFiles()); // the spool file is gone once written
            using var file = await TranscodeHarness.ReadAsync(encoded);
            var fragments = (DicomFragmentSequence)file.Dataset[DicomTag.PixelData]!;
            Assert.Equal(frames, fragments.Fragments.Count);
            Assert.Equal(frames, fragments.BasicOffsetTable.Count);
            var (_, pixels) = await TranscodeHarness.DecodeAsync(encoded);
            Assert.Equal(TranscodeHarness.Samples(SyntheticImage.Pixels(info, frames, 3), info, frames), TranscodeHarness.Samples(pixels, info, frames));
        }
        finally
        {
            spool.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("1.2.840.10008.1.2.1.99")]
    [InlineData("1.2.840.10008.1.2.2")]
    [InlineData("1.2.840.10008.1.2")]
    public async Task Native_syntaxes_convert_both_ways_with_codecs(string native)
    {
        var info = new FrameInfo(70, 50, 1, 16, 16, true);
        var input = await TranscodeHarness.ToBytesAsync(SyntheticImage.Create(info, seed: 4));
        var (nativeBytes, _) = await TranscodeHarness.TranscodeAsync(input, native);
        var (j2k, _) = await TranscodeHarness.TranscodeAsync(nativeBytes, "1.2.840.10008.1.2.4.90");
        var (back, _) = await TranscodeHarness.TranscodeAsync(j2k, native);
        using var file = await TranscodeHarness.ReadAsync(back);
        Assert.Equal(native, file.TransferSyntax.Uid);
        var (_, pixels) = await TranscodeHarness.DecodeAsync(back);
        Assert.Equal(TranscodeHarness.Samples(SyntheticImage.Pixels(info, 1, 4), info, 1), TranscodeHarness.Samples(pixels, info, 1));
    }

    [Fact]
    public async Task Encapsulated_to_encapsulated_is_bit_exact()
    {
        var info = new FrameInfo(120, 90, 3, 8, 8, false);
        var input = await TranscodeHarness.ToBytesAsync(SyntheticImage.Create(info, seed: 8));
        var bytes = input;
        foreach (var ts in new[] { "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.202", "1.2.840.10008.1.2.5", "1.2.840.10008.1.2.4.201" })
        {
            (bytes, _) = await TranscodeHarness.TranscodeAsync(bytes, ts);
        }

        var (ds, pixels) = await TranscodeHarness.DecodeAsync(bytes);
        Assert.Equal("RGB", ds.GetString(DicomTag.PhotometricInterpretation));
        Assert.Equal(TranscodeHarness.Samples(SyntheticImage.Pixels(info, 1, 8), info, 1), TranscodeHarness.Samples(pixels, info, 1));
    }

    [Fact]
    public async Task Jp2_wrapped_jpeg2000_is_accepted()
    {
        var opj = PeerTools.Tool("opj_compress", "libopenjp2-tools");
        var info = new FrameInfo(40, 30, 1, 8, 8, false);
        var pixels = SyntheticImage.Pixels(info, 1, 2);
        var dir = Directory.CreateTempSubdirectory("vna-jp2-");
        try
        {
            var pgm = Path.Combine(dir.FullName, "in.pgm");
            var header = System.Text.Encoding.ASCII.GetBytes($"P5\n{info.Columns} {info.Rows}\n255\n");
            await File.WriteAllBytesAsync(pgm, [.. header, .. pixels], TestContext.Current.CancellationToken);
            var jp2 = Path.Combine(dir.FullName, "out.jp2");
            var (code, stdout, stderr) = await PeerTools.RunAsync(opj, ["-i", pgm, "-o", jp2, "-n", "3"]);
            Assert.True(code == 0, stdout + stderr);
            var codestream = await File.ReadAllBytesAsync(jp2, TestContext.Current.CancellationToken);
            Assert.Equal(0x0C, codestream[3]); // a JP2 signature box, not a raw codestream

            var file = SyntheticImage.Create(info, seed: 2);
            var fragments = new DicomFragmentSequence(DicomTag.PixelData, DicomVR.OB);
            fragments.Add(new DicomFragment((codestream.Length & 1) == 0 ? codestream : [.. codestream, 0]));
            file.Dataset.AddOrUpdate(fragments);
            file.TransferSyntax = DicomTransferSyntax.Parse("1.2.840.10008.1.2.4.90");
            var input = await TranscodeHarness.ToBytesAsync(file);
            var (_, decoded) = await TranscodeHarness.DecodeAsync(input);
            Assert.Equal(pixels, decoded);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
