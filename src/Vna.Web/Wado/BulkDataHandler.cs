using System.Globalization;
using Microsoft.AspNetCore.Http;
using Vna.Core;
using Vna.Dicom;
using Vna.Web.Http;

namespace Vna.Web.Wado;

/// <summary>
/// WADO-RS bulk data (PS3.18 10.4.1.1.5): the values the metadata names by BulkDataURI
/// (<c>…/instances/{sop}/bulkdata/{tag}[/{item}/{tag}…]</c>) as multipart/related application/octet-stream: one part for a
/// value, one part per frame for encapsulated pixel data. Values are streamed from the stored file, never loaded whole.
/// </summary>
internal static class BulkDataHandler
{
    public static async Task<IResult> HandleAsync(HttpContext context, string study, string series, string sop, string path, CancellationToken cancellationToken)
    {
        var accepted = AcceptHeader.Parse(context.Request);
        if (accepted.Count > 0 && !accepted.Any(a => a.MediaType == "*/*" || (a.IsMultipart && (a.PartType is null or "*/*"
            || a.PartType.Equals(DicomWebMediaTypes.OctetStream, StringComparison.OrdinalIgnoreCase)))))
        {
            return Problems.NotAcceptable("Bulk data is answered as multipart/related; type=\"application/octet-stream\".");
        }

        var (instances, problem) = await InstanceResolver.ResolveAsync(context, study, series, sop, cancellationToken).ConfigureAwait(false);
        if (instances is null)
        {
            return problem!;
        }

        OpenedInstance opened;
        try
        {
            opened = await OpenedInstance.OpenAsync(context.RequestServices.GetRequiredService<IInstanceContentSource>(),
                context.RequestServices.GetRequiredService<IInstanceTranscoder>(), instances[0], RecallWait.MaxWait(context), null, cancellationToken).ConfigureAwait(false);
        }
        catch (StudyRecallPendingException pending)
        {
            return RecallWait.Pending(pending);
        }

        await using (opened.ConfigureAwait(false))
        {
            var item = Find(opened.File.Dataset, path);
            if (item is null)
            {
                return Problems.NotFound($"The instance has no bulk data at '{path}'.");
            }

            var location = $"{RequestUrls.BaseUrl(context.Request)}/studies/{study}/series/{series}/instances/{sop}/bulkdata/{path}";
            var partType = $"{DicomWebMediaTypes.OctetStream}; transfer-syntax={opened.TransferSyntaxUid}";
            if (item is DicomElement element && (element.VR.IsBulkCandidate() || element.Length > Metadata.InstanceMetadataBuilder.InlineLimit))
            {
                var writer = MultipartResponseWriter.Start(context.Response, DicomWebMediaTypes.OctetStream);
                await using var value = element.OpenRead();
                await writer.WritePartAsync(element.VR == DicomVR.OB || element.VR == DicomVR.OW || element.VR == DicomVR.UN ? partType : DicomWebMediaTypes.OctetStream,
                    location, value, element.Length, cancellationToken).ConfigureAwait(false);
                await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
                return Results.Empty;
            }

            if (item is DicomFragmentSequence && item.Tag == DicomTag.PixelData)
            {
                var frames = FrameReader.NumberOfFrames(opened.File.Dataset);
                var writer = MultipartResponseWriter.Start(context.Response, DicomWebMediaTypes.OctetStream);
                for (var n = 1; n <= frames; n++)
                {
                    var frame = await FrameReader.ReadAsync(opened.File.Dataset, n, cancellationToken).ConfigureAwait(false);
                    await writer.WritePartAsync(partType, location, frame, cancellationToken).ConfigureAwait(false);
                }

                await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
                return Results.Empty;
            }

            return Problems.NotFound($"'{path}' is not a bulk data value.");
        }
    }

    /// <summary>The item at a path of tags and item indexes (<c>00540016/0/00181072</c>).</summary>
    private static DicomItem? Find(DicomDataset dataset, string path)
    {
        var steps = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var current = dataset;
        for (var i = 0; i < steps.Length; i++)
        {
            if (!uint.TryParse(steps[i], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var tagValue) || steps[i].Length != 8)
            {
                return null;
            }

            var item = current[new DicomTag(tagValue)];
            if (i == steps.Length - 1)
            {
                return item;
            }

            if (item is not DicomSequence sequence || i + 1 >= steps.Length - 1
                || !int.TryParse(steps[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index >= sequence.Items.Count)
            {
                return null;
            }

            current = sequence.Items[index];
            i++;
        }

        return null;
    }
}
