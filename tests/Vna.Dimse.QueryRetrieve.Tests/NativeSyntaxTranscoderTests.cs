using Vna.Core;
using Vna.Dicom;

namespace Vna.Dimse.QueryRetrieve.Tests;

/// <summary>
/// An encapsulated object asked for in a native syntax goes to the registered codecs (it once failed with "needs a codec"
/// although the planner had chosen it because the codecs said they could); without codecs it is a clear TranscodeException.
/// </summary>
public sealed class NativeSyntaxTranscoderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_encapsulated_object_is_decoded_by_the_inner_transcoder()
    {
        var inner = new RecordingTranscoder();
        var transcoder = new NativeSyntaxTranscoder(inner);
        using var source = new MemoryStream(await EncapsulatedAsync());
        using var destination = new MemoryStream();

        var result = await transcoder.TranscodeAsync(source, DicomTransferSyntax.ImplicitVRLittleEndian.Uid, destination, null, Ct);

        Assert.Equal(DicomTransferSyntax.ImplicitVRLittleEndian.Uid, inner.Target);
        Assert.Equal(DicomTransferSyntax.JpegLSLossless.Uid, inner.SourceSyntax);
        Assert.Equal("1.2.3.4.5", inner.SopInstanceUid);
        Assert.Equal([0xFF, 0xD8, 1, 2, 3, 4, 0xFF, 0xD9], inner.Fragment);
        Assert.Equal("1.2.3.4.5", result.SopInstanceUid);
    }

    [Fact]
    public async Task Without_codecs_an_encapsulated_object_is_a_TranscodeException()
    {
        var transcoder = new NativeSyntaxTranscoder(new PassThroughTranscoder());
        using var source = new MemoryStream(await EncapsulatedAsync());
        using var destination = new MemoryStream();

        await Assert.ThrowsAsync<TranscodeException>(() => transcoder.TranscodeAsync(source, DicomTransferSyntax.ExplicitVRLittleEndian.Uid, destination, null, Ct));
    }

    private static async Task<byte[]> EncapsulatedAsync()
    {
        var dataset = new DicomDataset();
        dataset.AddOrUpdate(DicomTag.SOPClassUID, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.7");
        dataset.AddOrUpdate(DicomTag.SOPInstanceUID, DicomVR.UI, "1.2.3.4.5");
        var pixels = new DicomFragmentSequence(DicomTag.PixelData, DicomVR.OB);
        pixels.Add(new DicomFragment(new byte[] { 0xFF, 0xD8, 1, 2, 3, 4, 0xFF, 0xD9 }));
        dataset.AddOrUpdate(pixels);
        using var file = new DicomFile(new DicomDataset(), dataset, DicomTransferSyntax.JpegLSLossless);
        using var ms = new MemoryStream();
        await DicomWriter.WriteFileAsync(ms, file, null, Ct);
        return ms.ToArray();
    }

    /// <summary>Reads what it is given and records it, as a codec would before decoding.</summary>
    private sealed class RecordingTranscoder : IInstanceTranscoder
    {
        public string? Target { get; private set; }

        public string? SourceSyntax { get; private set; }

        public string? SopInstanceUid { get; private set; }

        public byte[]? Fragment { get; private set; }

        public bool CanTranscode(string fromTransferSyntaxUid, string toTransferSyntaxUid) => true;

        public async Task<TranscodeResult> TranscodeAsync(Stream source, string targetTransferSyntaxUid, Stream destination, TranscodeOptions? options, CancellationToken cancellationToken)
        {
            using var file = await DicomReader.ReadAsync(source, new DicomReaderOptions { BulkDataThreshold = int.MaxValue }, null, cancellationToken);
            Target = targetTransferSyntaxUid;
            SourceSyntax = file.TransferSyntax.Uid;
            SopInstanceUid = file.Dataset.GetString(DicomTag.SOPInstanceUID);
            Fragment = ((DicomFragmentSequence)file.Dataset[DicomTag.PixelData]!).Fragments[0].InlineValue.ToArray();
            return new TranscodeResult(targetTransferSyntaxUid, SopInstanceUid ?? string.Empty, Lossy: false, 0);
        }
    }
}
