using System.Buffers.Binary;
using Vna.Dicom;

namespace Vna.Core;

/// <summary>
/// The start of a Part 10 file for a bare data set (a C-STORE data set): the 128-byte preamble, "DICM" and the File Meta
/// Information for a SOP class and instance in a transfer syntax. Written ahead of the data set's bytes as they arrive, so the
/// data set itself is stored exactly as received (deflated data sets included).
/// </summary>
internal static class FileMetaPrefix
{
    private const int PreambleAndPrefix = 132;

    /// <summary>Offset of the group length's value: preamble, "DICM", tag (4), "UL", length (2).</summary>
    private const int GroupLengthValueOffset = PreambleAndPrefix + 8;

    public static async Task<byte[]> CreateAsync(
        string sopClassUid, string sopInstanceUid, DicomTransferSyntax transferSyntax, string? sourceAeTitle, CancellationToken cancellationToken)
    {
        var identifiers = new DicomDataset();
        identifiers.AddOrUpdate(DicomTag.SOPClassUID, DicomVR.UI, sopClassUid);
        identifiers.AddOrUpdate(DicomTag.SOPInstanceUID, DicomVR.UI, sopInstanceUid);
        var meta = DicomWriter.CreateFileMetaInformation(identifiers, transferSyntax, sourceAeTitle);

        // The writer's own encoding of the meta group, cut after the group: the empty data set after it (which a deflated
        // syntax would still turn into a few bytes) is dropped.
        using var buffer = new MemoryStream();
        await DicomWriter.WriteFileAsync(buffer, new DicomFile(meta, new DicomDataset(), transferSyntax), null, cancellationToken).ConfigureAwait(false);
        var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        if (bytes.Length < GroupLengthValueOffset + 4
            || BinaryPrimitives.ReadUInt32LittleEndian(bytes[PreambleAndPrefix..]) != 0x0000_0002
            || bytes[PreambleAndPrefix + 4] != (byte)'U' || bytes[PreambleAndPrefix + 5] != (byte)'L')
        {
            throw new InvalidOperationException("The writer did not start the File Meta Information with its group length.");
        }

        var groupLength = BinaryPrimitives.ReadUInt32LittleEndian(bytes[GroupLengthValueOffset..]);
        var end = GroupLengthValueOffset + 4 + (long)groupLength;
        if (end > bytes.Length)
        {
            throw new InvalidOperationException("The File Meta Information group length runs past what the writer wrote.");
        }

        return bytes[..(int)end].ToArray();
    }

    /// <summary>The AE title to record as Source Application Entity Title (0002,0016): the actor when it can be one.</summary>
    public static string? SourceAeTitle(string? actor)
    {
        var ae = actor?.Trim();
        return ae is { Length: > 0 and <= 16 } && !ae.Contains('\\', StringComparison.Ordinal) && ae.All(c => c is >= ' ' and <= '~')
            ? ae
            : null;
    }
}
