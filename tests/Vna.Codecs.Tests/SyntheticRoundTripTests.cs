using Vna.Codecs.Pixels;
using Vna.Dicom;

namespace Vna.Codecs.Tests;

/// <summary>Lossless syntaxes give back every sample of synthetic images of every shape: depth, sign, colour, odd sizes, frames.</summary>
public sealed class SyntheticRoundTripTests
{
    public static readonly string[] LosslessSyntaxes =
    [
        "1.2.840.10008.1.2.5",
        "1.2.840.10008.1.2.4.90",
        "1.2.840.10008.1.2.4.201",
        "1.2.840.10008.1.2.4.202",
        "1.2.840.10008.1.2.4.80",
    ];

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var ts in LosslessSyntaxes)
        {
            foreach (var shape in Shapes.Keys)
            {
                data.Add(ts, shape);
            }
        }

        return data;
    }

    internal static readonly Dictionary<string, (FrameInfo Info, int Frames, int Planar)> Shapes = new()
    {
        ["u8 grey 64x48"] = (new FrameInfo(64, 48, 1, 8, 8, false), 1, 0),
        ["s8 grey 33x17"] = (new FrameInfo(33, 17, 1, 8, 8, true), 1, 0),
        ["u8 rgb 65x31"] = (new FrameInfo(65, 31, 3, 8, 8, false), 1, 0),
        ["u8 rgb planar 40x20"] = (new FrameInfo(40, 20, 3, 8, 8, false), 1, 1),
        ["u12 grey 511x257"] = (new FrameInfo(511, 257, 1, 16, 12, false), 1, 0),
        ["s12 grey 100x80"] = (new FrameInfo(100, 80, 1, 16, 12, true), 1, 0),
        ["u16 grey 128x128"] = (new FrameInfo(128, 128, 1, 16, 16, false), 1, 0),
        ["s16 grey 128x96"] = (new FrameInfo(128, 96, 1, 16, 16, true), 1, 0),
        ["s13 grey 70x70"] = (new FrameInfo(70, 70, 1, 16, 13, true), 1, 0),
        ["u16 rgb 32x32"] = (new FrameInfo(32, 32, 3, 16, 16, false), 1, 0),
        ["u8 in 16 grey 50x40"] = (new FrameInfo(50, 40, 1, 16, 8, false), 1, 0),
        ["s6 in 16 grey 20x10"] = (new FrameInfo(20, 10, 1, 16, 6, true), 1, 0),
        ["u8 grey 1x1"] = (new FrameInfo(1, 1, 1, 8, 8, false), 1, 0),
        ["u16 grey 3x3"] = (new FrameInfo(3, 3, 1, 16, 16, false), 1, 0),
        ["u12 grey 64x64 x5 frames"] = (new FrameInfo(64, 64, 1, 16, 12, false), 5, 0),
        ["u8 rgb 31x29 x3 frames"] = (new FrameInfo(31, 29, 3, 8, 8, false), 3, 0),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Lossless_round_trip_is_bit_exact(string ts, string shape)
    {
        var (info, frames, planar) = Shapes[shape];
        var original = SyntheticImage.Create(info, frames, seed: shape.Length, planar: planar);
        var input = await TranscodeHarness.ToBytesAsync(original);

        var (encoded, result) = await TranscodeHarness.TranscodeAsync(input, ts);
        Assert.False(result.Lossy);
        var encodedFile = await TranscodeHarness.ReadAsync(encoded);
        Assert.Equal(ts, encodedFile.TransferSyntax.Uid);
        Assert.IsType<DicomFragmentSequence>(encodedFile.Dataset[DicomTag.PixelData]);
        Assert.Equal(original.Dataset.GetString(DicomTag.SOPInstanceUID), result.SopInstanceUid);

        var (decodedDs, pixels) = await TranscodeHarness.DecodeAsync(encoded);
        var expected = TranscodeHarness.Samples(SyntheticImage.Pixels(info, frames, shape.Length), info, frames);
        Assert.Equal(expected, TranscodeHarness.Samples(pixels, info, frames));
        Assert.Equal(info.SamplesPerPixel == 1 ? "MONOCHROME2" : "RGB", decodedDs.GetString(DicomTag.PhotometricInterpretation));
    }
}
