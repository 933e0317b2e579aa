using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Http;
using Vna.Core;
using Vna.Web.Http;
using Vna.Web.Metadata;

namespace Vna.Web.Wado;

/// <summary>
/// WADO-RS metadata of a study, a series or an instance (PS3.18 10.4.1.1.2) as application/dicom+json, answered from the
/// metadata aggregated at ingest (<see cref="IInstanceMetadataStore"/>): one index query and one metadata query, then the
/// stored JSON objects joined into an array with their BulkDataURIs made absolute. An instance without a current row
/// (stored before the table existed, or replaced) is read once through <see cref="IInstanceContentSource"/> and its row
/// written, so the next request finds it.
/// </summary>
internal static class MetadataHandler
{
    public static async Task<IResult> HandleAsync(HttpContext context, string study, string? series, string? sop, CancellationToken cancellationToken)
    {
        var accepted = AcceptHeader.Parse(context.Request);
        if (accepted.Count > 0 && !accepted.Any(a => a.MediaType is "*/*" or "application/*"
            || a.MediaType.Equals(DicomWebMediaTypes.DicomJson, StringComparison.OrdinalIgnoreCase)
            || a.MediaType.Equals(DicomWebMediaTypes.Json, StringComparison.OrdinalIgnoreCase)))
        {
            return Problems.NotAcceptable("Metadata is answered as application/dicom+json.");
        }

        var (instances, problem) = await InstanceResolver.ResolveAsync(context, study, series, sop, cancellationToken).ConfigureAwait(false);
        if (instances is null)
        {
            return problem!;
        }

        var store = context.RequestServices.GetRequiredService<IInstanceMetadataStore>();
        var rows = sop is not null
            ? await store.GetInstancesAsync([sop], cancellationToken).ConfigureAwait(false)
            : await store.GetAsync(study, series, cancellationToken).ConfigureAwait(false);
        var bySop = new Dictionary<string, InstanceMetadata>(rows.Count, StringComparer.Ordinal);
        foreach (var row in rows)
        {
            bySop[row.SopInstanceUid] = row;
        }

        var made = new List<InstanceMetadata>();
        var ordered = new List<InstanceMetadata>(instances.Count);
        try
        {
            foreach (var instance in instances)
            {
                if (!bySop.TryGetValue(instance.SopInstanceUid, out var row) || row.Sha256 != instance.Sha256)
                {
                    var source = context.RequestServices.GetRequiredService<IInstanceContentSource>();
                    row = await InstanceMetadataBuilder.BuildAsync(source, instance, RecallWait.MaxWait(context), cancellationToken).ConfigureAwait(false);
                    made.Add(row);
                }

                ordered.Add(row);
            }
        }
        catch (StudyRecallPendingException pending)
        {
            return RecallWait.Pending(pending);
        }

        if (made.Count > 0)
        {
            await store.UpsertAsync(made, cancellationToken).ConfigureAwait(false);
        }

        var prefix = Encoding.UTF8.GetBytes(RequestUrls.BaseUrl(context.Request) + "/");
        var buffer = new ArrayBufferWriter<byte>(ordered.Sum(r => r.Json.Length + 256) + 2);
        buffer.Write("["u8);
        for (var i = 0; i < ordered.Count; i++)
        {
            if (i > 0)
            {
                buffer.Write(","u8);
            }

            WriteWithAbsoluteUris(buffer, ordered[i].Json, prefix);
        }

        buffer.Write("]"u8);
        return new BytesResult(buffer.WrittenMemory, DicomWebMediaTypes.DicomJson);
    }

    /// <summary>Copies a stored JSON object, inserting <paramref name="prefix"/> at the start of each BulkDataURI value.</summary>
    private static void WriteWithAbsoluteUris(ArrayBufferWriter<byte> buffer, ReadOnlySpan<byte> json, ReadOnlySpan<byte> prefix)
    {
        var marker = InstanceMetadataBuilder.BulkDataUriPrefix;
        while (true)
        {
            var at = json.IndexOf(marker);
            if (at < 0)
            {
                buffer.Write(json);
                return;
            }

            buffer.Write(json[..(at + marker.Length)]);
            buffer.Write(prefix);
            json = json[(at + marker.Length)..];
        }
    }
}
