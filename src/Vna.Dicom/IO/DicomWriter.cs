using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Vna.Dicom;

/// <summary>
/// Writes Part 10 files (PS3.10 7.1) and bare data sets (PS3.5 7), streaming: the output goes through one pooled buffer,
/// bulk data is copied from its source in chunks and never held whole in memory. The File Meta Information is always
/// Explicit VR Little Endian; the data set is encoded in the file's transfer syntax (implicit or explicit VR, little or big
/// endian, deflated, encapsulated pixel data). What cannot be written validly (fragments in a native transfer syntax, native
/// pixel data in an encapsulated one, lengths that overflow) raises <see cref="InvalidOperationException"/> before anything
/// is written.
/// </summary>
public static class DicomWriter
{
    private static readonly DicomTag FileMetaInformationGroupLengthTag = new(0x0002, 0x0000);
    private static readonly DicomTag FileMetaInformationVersionTag = new(0x0002, 0x0001);
    private static readonly DicomTag MediaStorageSopClassUidTag = new(0x0002, 0x0002);
    private static readonly DicomTag MediaStorageSopInstanceUidTag = new(0x0002, 0x0003);
    private static readonly DicomTag TransferSyntaxUidTag = new(0x0002, 0x0010);
    private static readonly DicomTag ImplementationClassUidTag = new(0x0002, 0x0012);
    private static readonly DicomTag ImplementationVersionNameTag = new(0x0002, 0x0013);
    private static readonly DicomTag SourceApplicationEntityTitleTag = new(0x0002, 0x0016);
    private static readonly DicomTag SopClassUidTag = new(0x0008, 0x0016);
    private static readonly DicomTag SopInstanceUidTag = new(0x0008, 0x0018);

    /// <summary>Vna's Implementation Class UID, written in (0002,0012).</summary>
    public static string ImplementationClassUid => "2.25.98436726893502283645658573337971357048";

    /// <summary>Vna's Implementation Version Name, written in (0002,0013).</summary>
    public static string ImplementationVersionName => "VNA_0_1";

    /// <summary>
    /// Writes <paramref name="file"/> as a Part 10 file: 128-byte preamble, "DICM", the File Meta Information (rebuilt from
    /// <see cref="DicomFile.FileMetaInformation"/>, see <see cref="CreateFileMetaInformation"/>) and the data set in
    /// <see cref="DicomFile.TransferSyntax"/>.
    /// </summary>
    public static async Task WriteFileAsync(Stream stream, DicomFile file, DicomWriterOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(file);
        if (!stream.CanWrite)
        {
            throw new ArgumentException("The stream is not writable.", nameof(stream));
        }

        var job = PrepareFile(file, options);
        await WriteFileCoreAsync(stream, job, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes <paramref name="file"/> to <paramref name="path"/> (created or overwritten); a partly written file is deleted on failure.</summary>
    public static async Task WriteFileAsync(string path, DicomFile file, DicomWriterOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(file);

        // Validate before the file is opened, so an invalid data set leaves an existing file untouched.
        var job = PrepareFile(file, options);
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
        try
        {
            await using (stream.ConfigureAwait(false))
            {
                await WriteFileCoreAsync(stream, job, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            TryDelete(path);
            throw;
        }
    }

    /// <summary>
    /// Writes only the preamble, "DICM" and the File Meta Information of a Part 10 file whose data set, in
    /// <paramref name="transferSyntax"/>, the caller appends as bytes it already has (received over the network, for
    /// example). Unlike <see cref="WriteFileAsync(Stream, DicomFile, DicomWriterOptions?, CancellationToken)"/> with an empty
    /// data set, nothing follows the meta group even in a deflated syntax.
    /// </summary>
    public static async Task WriteFileHeaderAsync(
        Stream stream, DicomDataset fileMetaInformation, DicomTransferSyntax transferSyntax, DicomWriterOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(fileMetaInformation);
        ArgumentNullException.ThrowIfNull(transferSyntax);
        options = CheckOptions(options);
        var meta = BuildFileMetaInformation(fileMetaInformation, new DicomDataset(), transferSyntax, options.KeepSourceImplementation, sourceApplicationEntityTitle: null);
        using var buffer = new DicomWriterBuffer(stream, options.BufferSize);
        await WriteHeaderAsync(buffer, meta, options, cancellationToken).ConfigureAwait(false);
        await buffer.FlushAsync(cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes a bare data set (no preamble, no File Meta Information) in <paramref name="transferSyntax"/>, deflated when the
    /// syntax is. File meta elements (group 0002) in <paramref name="dataset"/> are not written.
    /// </summary>
    public static async Task WriteDatasetAsync(Stream stream, DicomDataset dataset, DicomTransferSyntax transferSyntax, DicomWriterOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(transferSyntax);
        if (!stream.CanWrite)
        {
            throw new ArgumentException("The stream is not writable.", nameof(stream));
        }

        options = CheckOptions(options);

        var layout = new DicomWriterLayout(transferSyntax, options, fileMetaInformation: false);
        layout.Validate(dataset, topLevel: true);

        using var buffer = new DicomWriterBuffer(stream, options.BufferSize);
        await WriteBodyAsync(buffer, dataset, layout, options, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A File Meta Information group (PS3.10 7.1) for <paramref name="dataset"/> encoded in <paramref name="transferSyntax"/>:
    /// group length, version 00\01, Media Storage SOP Class and Instance UIDs from (0008,0016) and (0008,0018), the transfer
    /// syntax UID, Vna's implementation class UID and version name, and the Source AE Title when given.
    /// </summary>
    /// <exception cref="InvalidOperationException">The data set has no SOP Class UID or SOP Instance UID.</exception>
    public static DicomDataset CreateFileMetaInformation(DicomDataset dataset, DicomTransferSyntax transferSyntax, string? sourceApplicationEntityTitle = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(transferSyntax);
        if (sourceApplicationEntityTitle is not null && sourceApplicationEntityTitle.Trim().Length > 16)
        {
            throw new ArgumentException("An AE title has at most 16 characters.", nameof(sourceApplicationEntityTitle));
        }

        return BuildFileMetaInformation(null, dataset, transferSyntax, keepSourceImplementation: false, sourceApplicationEntityTitle);
    }

    private static DicomWriterOptions CheckOptions(DicomWriterOptions? options)
    {
        options ??= DicomWriterOptions.Default;
        if (options.BufferSize < DicomWriterOptions.MinimumBufferSize)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options), options.BufferSize, $"BufferSize must be at least {DicomWriterOptions.MinimumBufferSize} bytes.");
        }

        return options;
    }

    private static FileJob PrepareFile(DicomFile file, DicomWriterOptions? options)
    {
        options = CheckOptions(options);
        var meta = BuildFileMetaInformation(
            file.FileMetaInformation, file.Dataset, file.TransferSyntax, options.KeepSourceImplementation, sourceApplicationEntityTitle: null);
        var layout = new DicomWriterLayout(file.TransferSyntax, options, fileMetaInformation: false);
        layout.Validate(file.Dataset, topLevel: true);
        return new FileJob(meta, file.Dataset, layout, options);
    }

    private static async Task WriteFileCoreAsync(Stream stream, FileJob job, CancellationToken cancellationToken)
    {
        using var buffer = new DicomWriterBuffer(stream, job.Options.BufferSize);
        await WriteHeaderAsync(buffer, job.Meta, job.Options, cancellationToken).ConfigureAwait(false);
        await WriteBodyAsync(buffer, job.Dataset, job.Layout, job.Options, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Preamble and prefix (PS3.10 7.1; the buffer is at least 1 KB, so they fit), then the meta group.</summary>
    private static ValueTask WriteHeaderAsync(DicomWriterBuffer buffer, DicomDataset meta, DicomWriterOptions options, CancellationToken cancellationToken)
    {
        buffer.WriteZeros(128);
        buffer.WriteBytes("DICM"u8);
        var metaLayout = new DicomWriterLayout(DicomTransferSyntax.ExplicitVRLittleEndian, options, fileMetaInformation: true);
        return new DicomWriterEncoder(buffer, metaLayout).WriteAsync(meta, cancellationToken);
    }

    /// <summary>The data set after the meta group: plain, or as raw deflate (RFC 1951) padded to an even length.</summary>
    private static async Task WriteBodyAsync(
        DicomWriterBuffer buffer, DicomDataset dataset, DicomWriterLayout layout, DicomWriterOptions options, CancellationToken cancellationToken)
    {
        var encoder = new DicomWriterEncoder(buffer, layout);
        if (!layout.TransferSyntax.IsDeflated)
        {
            await encoder.WriteAsync(dataset, cancellationToken).ConfigureAwait(false);
            await buffer.FlushAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        await buffer.FlushAsync(cancellationToken).ConfigureAwait(false);
        var target = buffer.Stream;
        var counter = new DicomWriterCountingStream(target);
        var deflate = new DeflateStream(counter, options.DeflateLevel, leaveOpen: true);
        await using (deflate.ConfigureAwait(false))
        {
            buffer.Stream = deflate;
            await encoder.WriteAsync(dataset, cancellationToken).ConfigureAwait(false);
            await buffer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        buffer.Stream = target;
        if ((counter.BytesWritten & 1) != 0)
        {
            // Keep the data set's length even, as DCMTK does; inflaters stop at the end of the final block.
            buffer.WriteByte(0);
            await buffer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static DicomDataset BuildFileMetaInformation(
        DicomDataset? source, DicomDataset dataset, DicomTransferSyntax transferSyntax, bool keepSourceImplementation, string? sourceApplicationEntityTitle)
    {
        var meta = new DicomDataset();
        if (source is not null)
        {
            foreach (var item in source)
            {
                // Only elements of group 0002 belong to the meta; what this writer sets itself is not copied.
                if (item is not DicomElement element || !element.Tag.IsFileMetaInformation)
                {
                    continue;
                }

                var tag = element.Tag;
                var copy = tag.Element switch
                {
                    0x0000 or 0x0001 or 0x0010 => false,
                    0x0002 or 0x0003 => element.Length > 0,
                    0x0012 or 0x0013 => keepSourceImplementation,
                    _ => true,
                };

                if (copy)
                {
                    meta.AddOrUpdate(element);
                }
            }
        }

        meta.AddOrUpdate(new DicomElement(FileMetaInformationVersionTag, DicomVR.OB, new byte[] { 0x00, 0x01 }));
        if (!meta.Contains(MediaStorageSopClassUidTag))
        {
            meta.AddOrUpdate(Text(MediaStorageSopClassUidTag, DicomVR.UI, RequiredUid(dataset, SopClassUidTag, MediaStorageSopClassUidTag, "SOP Class UID")));
        }

        if (!meta.Contains(MediaStorageSopInstanceUidTag))
        {
            meta.AddOrUpdate(Text(MediaStorageSopInstanceUidTag, DicomVR.UI, RequiredUid(dataset, SopInstanceUidTag, MediaStorageSopInstanceUidTag, "SOP Instance UID")));
        }

        meta.AddOrUpdate(Text(TransferSyntaxUidTag, DicomVR.UI, transferSyntax.Uid));
        if (!keepSourceImplementation || !meta.Contains(ImplementationClassUidTag))
        {
            meta.AddOrUpdate(Text(ImplementationClassUidTag, DicomVR.UI, ImplementationClassUid));
            meta.AddOrUpdate(Text(ImplementationVersionNameTag, DicomVR.SH, ImplementationVersionName));
        }

        if (!string.IsNullOrWhiteSpace(sourceApplicationEntityTitle))
        {
            meta.AddOrUpdate(Text(SourceApplicationEntityTitleTag, DicomVR.AE, sourceApplicationEntityTitle.Trim()));
        }

        // The group length, recomputed from what is written (the writer recomputes it again when it writes).
        var layout = new DicomWriterLayout(DicomTransferSyntax.ExplicitVRLittleEndian, DicomWriterOptions.Default, fileMetaInformation: true);
        var value = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(value, checked((uint)layout.GroupLength(meta, 0x0002, topLevel: true)));
        meta.AddOrUpdate(new DicomElement(FileMetaInformationGroupLengthTag, DicomVR.UL, value));
        return meta;
    }

    private static string RequiredUid(DicomDataset dataset, DicomTag datasetTag, DicomTag metaTag, string name)
    {
        var uid = dataset.GetString(datasetTag)?.Trim('\0', ' ');
        if (string.IsNullOrEmpty(uid))
        {
            throw new InvalidOperationException(
                $"Cannot write the File Meta Information: the data set has no {name} {datasetTag} and the given meta has no {metaTag}.");
        }

        return uid;
    }

    private static DicomElement Text(DicomTag tag, DicomVR vr, string value) =>
        new(tag, vr, DicomDataset.PadToEven(Encoding.ASCII.GetBytes(value), vr));

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private sealed record FileJob(DicomDataset Meta, DicomDataset Dataset, DicomWriterLayout Layout, DicomWriterOptions Options);
}
