using System.Globalization;
using Vna.Codecs.Pixels;
using Vna.Core;
using Vna.Dicom;

namespace Vna.Codecs.Tests;

/// <summary>Lossy syntaxes: bounded error, Lossy Image Compression attributes (PS3.3 C.7.6.1.1.5) and a new SOP Instance UID.</summary>
public sealed class LossyTests
{
    [Theory]
    [InlineData("1.2.840.10008.1.2.4.91", "ISO_15444_1", 10.0, 0.02)]
    [InlineData("1.2.840.10008.1.2.4.203", "ISO_15444_15", 10.0, 0.02)]
    [InlineData("1.2.840.10008.1.2.4.81", "ISO_14495_1", 3.0, 0.01)]
    [InlineData("1.2.840.10008.1.2.4.50", "ISO_10918_1", 90.0, 0.03)]
    public async Task Lossy_copy_is_marked_renamed_and_close(string ts, string method, double quality, double maxRelativeRmse)
    {
        var info = ts == "1.2.840.10008.1.2.4.50" ? new FrameInfo(128, 96, 1, 8, 8, false) : new FrameInfo(128, 96, 1, 16, 12, false);
        var original = SyntheticImage.Create(info, seed: 5);
        var sop = original.Dataset.GetString(DicomTag.SOPInstanceUID);
        var input = await TranscodeHarness.ToBytesAsync(original);

        var (encoded, result) = await TranscodeHarness.TranscodeAsync(input, ts, new TranscodeOptions { Quality = quality });

        Assert.True(result.Lossy);
        Assert.NotEqual(sop, result.SopInstanceUid);
        using var file = await TranscodeHarness.ReadAsync(encoded);
        Assert.Equal(result.SopInstanceUid, file.Dataset.GetString(DicomTag.SOPInstanceUID));
        Assert.Equal(result.SopInstanceUid, file.FileMetaInformation.GetString(DicomTag.MediaStorageSOPInstanceUID));
        Assert.Equal("01", file.Dataset.GetString(DicomTag.LossyImageCompression));
        Assert.Equal(method, file.Dataset.GetString(DicomTag.LossyImageCompressionMethod));
        var ratio = double.Parse(file.Dataset.GetString(DicomTag.LossyImageCompressionRatio)!, CultureInfo.InvariantCulture);
        Assert.True(ratio > 1, $"ratio {ratio}");

        var (_, pixels) = await TranscodeHarness.DecodeAsync(encoded);
        var expected = TranscodeHarness.Samples(SyntheticImage.Pixels(info, 1, 5), info, 1);
        var actual = TranscodeHarness.Samples(pixels, info, 1);
        var rmse = Math.Sqrt(expected.Zip(actual, (a, b) => (double)(a - b) * (a - b)).Average());
        Assert.True(rmse <= maxRelativeRmse * info.MaxValue, $"RMSE {rmse:F2} of range {info.MaxValue}");
        if (ts == "1.2.840.10008.1.2.4.81")
        {
            Assert.True(expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max() <= (int)quality, "JPEG-LS NEAR bound broken");
        }
    }

    [Fact]
    public async Task Sop_instance_uid_is_kept_when_configured()
    {
        var original = SyntheticImage.Create(new FrameInfo(64, 64, 1, 16, 12, false));
        var input = await TranscodeHarness.ToBytesAsync(original);
        var (_, result) = await TranscodeHarness.TranscodeAsync(input, "1.2.840.10008.1.2.4.91", new TranscodeOptions { NewSopInstanceUidWhenLossy = false });
        Assert.True(result.Lossy);
        Assert.Equal(original.Dataset.GetString(DicomTag.SOPInstanceUID), result.SopInstanceUid);
    }

    [Theory]
    [InlineData("1.2.840.10008.1.2.4.91")]
    [InlineData("1.2.840.10008.1.2.4.203")]
    public async Task Higher_ratio_gives_a_smaller_file(string ts)
    {
        var input = await TranscodeHarness.ToBytesAsync(SyntheticImage.Create(new FrameInfo(256, 256, 1, 16, 12, false)));
        var (low, _) = await TranscodeHarness.TranscodeAsync(input, ts, new TranscodeOptions { Quality = 5 });
        var (high, _) = await TranscodeHarness.TranscodeAsync(input, ts, new TranscodeOptions { Quality = 40 });
        Assert.True(high.Length < low.Length * 0.6, $"{ts}: 40:1 gave {high.Length} bytes, 5:1 gave {low.Length}");
    }

    [Fact]
    public async Task Once_lossy_stays_marked_lossy_after_decompression_and_lossless_adds_nothing()
    {
        var input = await TranscodeHarness.ToBytesAsync(SyntheticImage.Create(new FrameInfo(64, 64, 1, 16, 12, false)));
        var (lossless, losslessResult) = await TranscodeHarness.TranscodeAsync(input, "1.2.840.10008.1.2.4.90");
        Assert.False(losslessResult.Lossy);
        using (var file = await TranscodeHarness.ReadAsync(lossless))
        {
            Assert.False(file.Dataset.Contains(DicomTag.LossyImageCompression));
        }

        var (lossy, _) = await TranscodeHarness.TranscodeAsync(input, "1.2.840.10008.1.2.4.91");
        var (back, _) = await TranscodeHarness.TranscodeAsync(lossy, "1.2.840.10008.1.2.4.201");
        using var again = await TranscodeHarness.ReadAsync(back);
        Assert.Equal("01", again.Dataset.GetString(DicomTag.LossyImageCompression));
        Assert.Equal("ISO_15444_1", again.Dataset.GetString(DicomTag.LossyImageCompressionMethod));
    }
}
