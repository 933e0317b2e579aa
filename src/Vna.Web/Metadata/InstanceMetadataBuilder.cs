using System.Globalization;
using Vna.Core;
using Vna.Dicom;

namespace Vna.Web.Metadata;

/// <summary>
/// Makes an instance's <see cref="InstanceMetadata"/> from its stored object: the data set read with bulk data by reference
/// (the pixels are never read), written as DICOM JSON with a BulkDataURI for every binary value over 1 KiB and for Pixel
/// Data, plus Available Transfer Syntax UID (0008,3002), the syntax it is stored in.
/// </summary>
public static class InstanceMetadataBuilder
{
    /// <summary>Binary values up to this size are written inline (InlineBinary); larger ones get a BulkDataURI.</summary>
    public const int InlineLimit = 1024;

    /// <summary>The exact bytes that precede each BulkDataURI value in the stored JSON (what retrieval prefixes with the base URL).</summary>
    public static ReadOnlySpan<byte> BulkDataUriPrefix => "\"BulkDataURI\":\""u8;

    /// <summary>The DICOMweb-relative path of an instance's bulk data (<c>studies/…/instances/…/bulkdata/</c>).</summary>
    public static string BulkDataPath(string study, string series, string sop) => $"studies/{study}/series/{series}/instances/{sop}/bulkdata/";

    public static async Task<InstanceMetadata> BuildAsync(
        IInstanceContentSource contentSource, StoredInstance instance, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contentSource);
        ArgumentNullException.ThrowIfNull(instance);
        var content = await contentSource.OpenAsync(instance, maxWait, cancellationToken).ConfigureAwait(false);
        await using (content.ConfigureAwait(false))
        {
            var options = new DicomReaderOptions { BulkDataThreshold = InlineLimit + 1 };
            using var file = content.LocalPath is not null
                ? await DicomReader.ReadFileAsync(content.LocalPath, options, cancellationToken).ConfigureAwait(false)
                : await DicomReader.ReadAsync(content.Stream, options, null, cancellationToken).ConfigureAwait(false);
            return Build(file, instance);
        }
    }

    public static InstanceMetadata Build(DicomFile file, StoredInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return Row(instance, BuildDocument(file, instance.StudyInstanceUid, instance.SeriesInstanceUid, instance.SopInstanceUid, instance.TransferSyntaxUid));
    }

    /// <summary>The row of <paramref name="instance"/> holding <paramref name="document"/>.</summary>
    private static InstanceMetadata Row(StoredInstance instance, InstanceDocument document)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(document);
        return new InstanceMetadata
        {
            StudyInstanceUid = instance.StudyInstanceUid,
            SeriesInstanceUid = instance.SeriesInstanceUid,
            SopInstanceUid = instance.SopInstanceUid,
            Sha256 = instance.Sha256,
            Json = document.Json,
            Rows = document.Rows,
            Columns = document.Columns,
            BitsAllocated = document.BitsAllocated,
            NumberOfFrames = document.NumberOfFrames,
        };
    }

    /// <summary>
    /// The document of <paramref name="file"/>'s data set, stored in <paramref name="transferSyntaxUid"/>: adds Available
    /// Transfer Syntax UID (0008,3002) to the data set (the caller's own copy) and never reads a value over
    /// <see cref="InlineLimit"/>.
    /// </summary>
    public static InstanceDocument BuildDocument(DicomFile file, string study, string series, string sop, string transferSyntaxUid)
    {
        ArgumentNullException.ThrowIfNull(file);
        var dataset = file.Dataset;
        var paths = new Dictionary<DicomItem, string>(ReferenceEqualityComparer.Instance);
        CollectPaths(dataset, string.Empty, paths);
        var prefix = BulkDataPath(study, series, sop);
        var writerOptions = new DicomJsonWriterOptions
        {
            InlineBinaryThreshold = InlineLimit,
            BulkDataUriFactory = item => paths.TryGetValue(item, out var path) ? prefix + path : null,
        };

        // The syntax the object is stored in, for clients that decode frames.
        dataset.AddOrUpdate(DicomTag.AvailableTransferSyntaxUID, DicomVR.UI, transferSyntaxUid);
        return new InstanceDocument
        {
            Json = DicomJson.SerializeToUtf8Bytes(dataset, writerOptions),
            Rows = Number(dataset, DicomTag.Rows),
            Columns = Number(dataset, DicomTag.Columns),
            BitsAllocated = Number(dataset, DicomTag.BitsAllocated),
            NumberOfFrames = Number(dataset, DicomTag.NumberOfFrames),
        };
    }

    /// <summary>Tag paths as used in bulk data URIs: <c>7FE00010</c>, <c>00540016/0/00181072</c> (sequence, item, tag).</summary>
    private static void CollectPaths(DicomDataset dataset, string prefix, Dictionary<DicomItem, string> paths)
    {
        foreach (var item in dataset)
        {
            var path = prefix + item.Tag.Value.ToString("X8", CultureInfo.InvariantCulture);
            if (item is DicomSequence sequence)
            {
                for (var i = 0; i < sequence.Items.Count; i++)
                {
                    CollectPaths(sequence.Items[i], path + "/" + i.ToString(CultureInfo.InvariantCulture) + "/", paths);
                }
            }
            else
            {
                paths[item] = path;
            }
        }
    }

    private static int? Number(DicomDataset dataset, DicomTag tag)
    {
        try
        {
            return dataset.GetValue<int>(tag);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or InvalidCastException or OverflowException or DicomDataException)
        {
            return null;
        }
    }
}
