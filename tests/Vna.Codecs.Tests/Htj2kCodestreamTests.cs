using System.Buffers.Binary;
using Vna.Codecs.Codecs;
using Vna.Codecs.Pixels;
using Vna.Dicom;

namespace Vna.Codecs.Tests;

/// <summary>Our HTJ2K codestreams: really Part 15 (Rsiz bit 14, CAP), .202 with RPCL and TLM, decodable by OpenJPEG bit-exact.</summary>
public sealed class Htj2kCodestreamTests
{
    [Theory]
    [InlineData("1.2.840.10008.1.2.4.201")]
    [InlineData("1.2.840.10008.1.2.4.202")]
    public async Task Codestream_is_htj2k_and_openjpeg_decodes_it_bit_exact(string ts)
    {
        var info = new FrameInfo(511, 257, 1, 16, 13, true);
        var (codestream, expected) = await EncodeAsync(info, ts);
        var markers = MainHeaderMarkers(codestream);
        var siz = markers[0xFF51];
        Assert.True((BinaryPrimitives.ReadUInt16BigEndian(codestream.AsSpan(siz + 4)) & 0x4000) != 0, "Rsiz lacks the HTJ2K bit");
        Assert.True(markers.ContainsKey(0xFF50), "no CAP marker");
        Assert.Equal(0x40, codestream[markers[0xFF52] + 12] & 0x40); // COD SPcod code-block style: HT

        var decoded = new byte[info.FrameBytes];
        var signed = Htj2kCodec.DecodeWithOpenJpeg(codestream, info, decoded);
        SampleConversion.ApplyDatasetSignedness(decoded, info, signed);
        Assert.Equal(expected, TranscodeHarness.Samples(decoded, info, 1));
    }

    [Fact]
    public async Task Rpcl_syntax_has_rpcl_progression_tlm_and_a_small_lowest_resolution()
    {
        var info = new FrameInfo(1000, 700, 1, 16, 12, false);
        var (codestream, _) = await EncodeAsync(info, "1.2.840.10008.1.2.4.202");
        var markers = MainHeaderMarkers(codestream);
        Assert.True(markers.ContainsKey(0xFF55), "no TLM marker");
        var cod = markers[0xFF52];
        Assert.Equal(2, codestream[cod + 5]); // progression order RPCL
        var levels = codestream[cod + 9];
        Assert.True((1000 >> levels) <= 64, $"{levels} decompositions leave a lowest resolution above 64");

        // TLM's Ptlm is the tile-part length Psot of the SOT that follows.
        var tlm = markers[0xFF55];
        Assert.Equal(0x60, codestream[tlm + 5]);
        var ptlm = BinaryPrimitives.ReadUInt32BigEndian(codestream.AsSpan(tlm + 8));
        var sot = FirstSot(codestream);
        Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(codestream.AsSpan(sot + 6)), ptlm);
    }

    [Fact]
    public async Task Lossy_htj2k_decodes_alike_in_openjph_and_openjpeg()
    {
        var info = new FrameInfo(200, 150, 3, 8, 8, false);
        var (codestream, _) = await EncodeAsync(info, "1.2.840.10008.1.2.4.203");
        var a = new byte[info.FrameBytes];
        var b = new byte[info.FrameBytes];
        Htj2kCodec.DecodeWithOpenJph(codestream, info, a);
        Htj2kCodec.DecodeWithOpenJpeg(codestream, info, b);
        Assert.True(a.Zip(b, (x, y) => Math.Abs(x - y)).Max() <= 1);
    }

    private static async Task<(byte[] Codestream, int[] Expected)> EncodeAsync(FrameInfo info, string ts)
    {
        var input = await TranscodeHarness.ToBytesAsync(SyntheticImage.Create(info, seed: 9));
        var (encoded, _) = await TranscodeHarness.TranscodeAsync(input, ts);
        using var file = await TranscodeHarness.ReadAsync(encoded);
        var fragments = (DicomFragmentSequence)file.Dataset[DicomTag.PixelData]!;
        var codestream = fragments.Fragments[0].InlineValue.ToArray();
        return (codestream, TranscodeHarness.Samples(SyntheticImage.Pixels(info, 1, 9), info, 1));
    }

    private static Dictionary<int, int> MainHeaderMarkers(byte[] codestream)
    {
        Assert.Equal(0xFF4F, BinaryPrimitives.ReadUInt16BigEndian(codestream));
        var markers = new Dictionary<int, int>();
        var p = 2;
        while (BinaryPrimitives.ReadUInt16BigEndian(codestream.AsSpan(p)) is var m && m != 0xFF90)
        {
            markers.TryAdd(m, p);
            p += 2 + BinaryPrimitives.ReadUInt16BigEndian(codestream.AsSpan(p + 2));
        }

        return markers;
    }

    private static int FirstSot(byte[] codestream)
    {
        var p = 2;
        while (BinaryPrimitives.ReadUInt16BigEndian(codestream.AsSpan(p)) != 0xFF90)
        {
            p += 2 + BinaryPrimitives.ReadUInt16BigEndian(codestream.AsSpan(p + 2));
        }

        return p;
    }
}
