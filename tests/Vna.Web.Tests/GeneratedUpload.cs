using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Vna.Dicom;

namespace Vna.Web.Tests;

/// <summary>
/// A STOW-RS body of one very large Secondary Capture object, generated while it is sent (never in memory): the Part 10
/// header, then 8-bit frames of a pattern, then the closing boundary. The SHA-256 of the DICOM object is known after sending.
/// </summary>
public sealed class GeneratedUpload : HttpContent
{
    private const int Side = 1024;
    private readonly byte[] _header;
    private readonly long _pixelLength;
    private readonly string _boundary = "big-" + Guid.NewGuid().ToString("N");

    public GeneratedUpload(int frames, string study, string series, string sop)
    {
        Frames = frames;
        _pixelLength = (long)Side * Side * frames;
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTag.SOPClassUID, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.7.2");
        ds.AddOrUpdate(DicomTag.SOPInstanceUID, DicomVR.UI, sop);
        ds.AddOrUpdate(DicomTag.Modality, DicomVR.CS, "OT");
        ds.AddOrUpdate(DicomTag.PatientName, DicomVR.PN, "Large^Upload");
        ds.AddOrUpdate(DicomTag.PatientID, DicomVR.LO, "LARGE0001");
        ds.AddOrUpdate(DicomTag.StudyInstanceUID, DicomVR.UI, study);
        ds.AddOrUpdate(DicomTag.SeriesInstanceUID, DicomVR.UI, series);
        ds.AddOrUpdate(DicomTag.NumberOfFrames, DicomVR.IS, frames.ToString(System.Globalization.CultureInfo.InvariantCulture));
        ds.AddOrUpdateValues(DicomTag.SamplesPerPixel, DicomVR.US, (ushort)1);
        ds.AddOrUpdate(DicomTag.PhotometricInterpretation, DicomVR.CS, "MONOCHROME2");
        ds.AddOrUpdateValues(DicomTag.Rows, DicomVR.US, (ushort)Side);
        ds.AddOrUpdateValues(DicomTag.Columns, DicomVR.US, (ushort)Side);
        ds.AddOrUpdateValues(DicomTag.BitsAllocated, DicomVR.US, (ushort)8);
        ds.AddOrUpdateValues(DicomTag.BitsStored, DicomVR.US, (ushort)8);
        ds.AddOrUpdateValues(DicomTag.HighBit, DicomVR.US, (ushort)7);
        ds.AddOrUpdateValues(DicomTag.PixelRepresentation, DicomVR.US, (ushort)0);
        var syntax = DicomTransferSyntax.ExplicitVRLittleEndian;
        using var header = new MemoryStream();
        DicomWriter.WriteFileAsync(header, new DicomFile(DicomWriter.CreateFileMetaInformation(ds, syntax), ds, syntax)).GetAwaiter().GetResult();

        // Pixel Data (7FE0,0010) OB: tag, VR, two reserved bytes, 32-bit length; the value follows.
        var pixelHeader = new byte[12];
        BinaryPrimitives.WriteUInt16LittleEndian(pixelHeader, 0x7FE0);
        BinaryPrimitives.WriteUInt16LittleEndian(pixelHeader.AsSpan(2), 0x0010);
        pixelHeader[4] = (byte)'O';
        pixelHeader[5] = (byte)'B';
        BinaryPrimitives.WriteUInt32LittleEndian(pixelHeader.AsSpan(8), checked((uint)_pixelLength));
        _header = [.. header.ToArray(), .. pixelHeader];
        Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/related; type=\"application/dicom\"; boundary={_boundary}");
    }

    public int Frames { get; }

    /// <summary>The size of the DICOM object.</summary>
    public long ObjectLength => _header.Length + _pixelLength;

    /// <summary>SHA-256 of the DICOM object (known once sent).</summary>
    public string? Sha256 { get; private set; }

    /// <summary>The byte at <paramref name="offset"/> of the pixel data.</summary>
    public static byte PixelAt(long offset) => (byte)((offset * 7) + (offset >> 20));

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        await SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"--{_boundary}\r\nContent-Type: application/dicom\r\n\r\n"), cancellationToken);
        await stream.WriteAsync(_header, cancellationToken);
        hash.AppendData(_header);
        var chunk = new byte[1 << 20];
        for (long at = 0; at < _pixelLength; at += chunk.Length)
        {
            var count = (int)Math.Min(chunk.Length, _pixelLength - at);
            for (var i = 0; i < count; i++)
            {
                chunk[i] = PixelAt(at + i);
            }

            hash.AppendData(chunk, 0, count);
            await stream.WriteAsync(chunk.AsMemory(0, count), cancellationToken);
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes($"\r\n--{_boundary}--\r\n"), cancellationToken);
        Sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false; // sent chunked, as a streaming client would
    }
}
