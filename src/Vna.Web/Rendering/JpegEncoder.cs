using Vna.Core;
using Vna.Dicom;

namespace Vna.Web.Rendering;

/// <summary>
/// JPEG through the <see cref="IInstanceTranscoder"/> port (the BCL has none): the rendered 8-bit image is wrapped as a
/// Secondary Capture object in Explicit VR Little Endian, re-encoded to JPEG Baseline (1.2.840.10008.1.2.4.50) by the
/// codecs, and the frame's codestream taken out of the encapsulated pixel data. Unavailable with the pass-through default.
/// </summary>
public static class JpegEncoder
{
    public const string JpegBaseline = "1.2.840.10008.1.2.4.50";

    public static bool IsAvailable(IInstanceTranscoder transcoder)
    {
        ArgumentNullException.ThrowIfNull(transcoder);
        return transcoder.CanTranscode(DicomTransferSyntax.ExplicitVRLittleEndian.Uid, JpegBaseline);
    }

    public static async Task<byte[]> EncodeAsync(IInstanceTranscoder transcoder, RenderedImage image, int? quality, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transcoder);
        ArgumentNullException.ThrowIfNull(image);
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTag.SOPClassUID, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.7");
        ds.AddOrUpdate(DicomTag.SOPInstanceUID, DicomVR.UI, DicomUid.Generate());
        ds.AddOrUpdate(DicomTag.StudyInstanceUID, DicomVR.UI, DicomUid.Generate());
        ds.AddOrUpdate(DicomTag.SeriesInstanceUID, DicomVR.UI, DicomUid.Generate());
        ds.AddOrUpdate(DicomTag.Modality, DicomVR.CS, "OT");
        ds.AddOrUpdateValues(DicomTag.SamplesPerPixel, DicomVR.US, (ushort)image.Channels);
        ds.AddOrUpdate(DicomTag.PhotometricInterpretation, DicomVR.CS, image.Channels == 3 ? "RGB" : "MONOCHROME2");
        if (image.Channels == 3)
        {
            ds.AddOrUpdateValues(DicomTag.PlanarConfiguration, DicomVR.US, (ushort)0);
        }

        ds.AddOrUpdateValues(DicomTag.Rows, DicomVR.US, (ushort)image.Height);
        ds.AddOrUpdateValues(DicomTag.Columns, DicomVR.US, (ushort)image.Width);
        ds.AddOrUpdateValues(DicomTag.BitsAllocated, DicomVR.US, (ushort)8);
        ds.AddOrUpdateValues(DicomTag.BitsStored, DicomVR.US, (ushort)8);
        ds.AddOrUpdateValues(DicomTag.HighBit, DicomVR.US, (ushort)7);
        ds.AddOrUpdateValues(DicomTag.PixelRepresentation, DicomVR.US, (ushort)0);
        ds.Add(new DicomElement(DicomTag.PixelData, DicomVR.OB, image.Pixels));
        var syntax = DicomTransferSyntax.ExplicitVRLittleEndian;
        using var source = new MemoryStream(image.Pixels.Length + 2048);
        await DicomWriter.WriteFileAsync(source, new DicomFile(DicomWriter.CreateFileMetaInformation(ds, syntax), ds, syntax), null, cancellationToken).ConfigureAwait(false);
        source.Position = 0;
        using var encoded = new MemoryStream(image.Pixels.Length / 4);
        await transcoder.TranscodeAsync(source, JpegBaseline, encoded, new TranscodeOptions { Quality = quality ?? 90, NewSopInstanceUidWhenLossy = false }, cancellationToken)
            .ConfigureAwait(false);
        encoded.Position = 0;
        using var file = await DicomReader.ReadAsync(encoded, new DicomReaderOptions { BulkDataThreshold = int.MaxValue }, null, cancellationToken).ConfigureAwait(false);
        if (file.Dataset[DicomTag.PixelData] is not DicomFragmentSequence fragments || fragments.Fragments.Count == 0)
        {
            throw new TranscodeException("The JPEG transcode produced no encapsulated frame.");
        }

        using var joined = new MemoryStream();
        foreach (var fragment in fragments.Fragments)
        {
            var value = await fragment.GetValueAsync(cancellationToken).ConfigureAwait(false);
            joined.Write(value.Span);
        }

        return joined.ToArray();
    }
}
