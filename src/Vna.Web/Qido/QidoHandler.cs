using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Vna.Core;
using Vna.Dicom;
using Vna.Web.Access;
using Vna.Web.Http;
using Vna.Web.Metadata;

namespace Vna.Web.Qido;

/// <summary>
/// QIDO-RS (PS3.18 10.6): searches for studies, series and instances, answered from the index through
/// <see cref="IIndexStore.QueryAsync"/> (the matching C-FIND uses) as application/dicom+json. Keys the index ignored and a
/// reduced limit are reported in Warning headers. At instance level Rows, Columns, Bits Allocated and Number of Frames
/// come from the metadata aggregated at ingest.
/// </summary>
internal static class QidoHandler
{
    private static readonly DicomTag[] s_imageTags = [DicomTag.Rows, DicomTag.Columns, DicomTag.BitsAllocated, DicomTag.NumberOfFrames];

    public static async Task<IResult> HandleAsync(HttpContext context, QueryLevel level, string? study, string? series, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var services = context.RequestServices;
        if ((study is not null && !DicomUid.IsValid(study)) || (series is not null && !DicomUid.IsValid(series)))
        {
            return Problems.BadRequest("The Study or Series Instance UID in the path is not a valid UID.");
        }

        if (!AcceptsJson(request))
        {
            return Problems.NotAcceptable("QIDO-RS answers application/dicom+json (or application/json).");
        }

        var options = services.GetRequiredService<IOptionsMonitor<DicomWebOptions>>().CurrentValue;
        var (qido, problem) = QidoParser.Parse(request.Query, level, study, series, options);
        if (qido is null)
        {
            return Problems.BadRequest(problem!);
        }

        // A caller scoped to departments finds only the studies that hold instances from them.
        var caller = AccessFilter.GetCaller(context);
        var query = caller.SeesAllDepartments
            ? qido.Query
            : qido.Query with { SourceDepartments = ConfiguredNames(caller, services.GetRequiredService<IOptionsMonitor<ArchiveOptions>>().CurrentValue) };

        IndexQueryResult result;
        try
        {
            result = await services.GetRequiredService<IIndexStore>().QueryAsync(query, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            return Problems.BadRequest("A matching key cannot be matched: " + ex.Message);
        }

        var baseUrl = RequestUrls.BaseUrl(request);
        var wantsImageAttributes = level == QueryLevel.Image && s_imageTags.Any(qido.Query.Identifier.Contains);
        Dictionary<string, InstanceMetadata>? image = null;
        if (wantsImageAttributes && result.Matches.Count > 0)
        {
            var uids = result.Matches.Select(m => m.GetString(DicomTag.SOPInstanceUID)).OfType<string>().ToArray();
            var rows = await services.GetRequiredService<IInstanceMetadataStore>().GetInstancesAsync(uids, cancellationToken).ConfigureAwait(false);
            image = rows.ToDictionary(r => r.SopInstanceUid, StringComparer.Ordinal);
        }

        var buffer = new ArrayBufferWriter<byte>(4096 + (result.Matches.Count * 1024));
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartArray();
            foreach (var match in result.Matches)
            {
                Complete(match, level, baseUrl, image);
                DicomJson.Write(writer, match);
            }

            writer.WriteEndArray();
        }

        var response = new BytesResult(buffer.WrittenMemory, DicomWebMediaTypes.DicomJson);
        foreach (var warning in qido.Warnings)
        {
            response.Headers.Add(new("Warning", RequestUrls.Warning(request, warning)));
        }

        if (result.IgnoredKeys.Count > 0)
        {
            var ignored = string.Join(", ", result.IgnoredKeys.Select(t => DicomDictionary.Lookup(t)?.Keyword ?? t.Value.ToString("X8", CultureInfo.InvariantCulture)));
            response.Headers.Add(new("Warning", RequestUrls.Warning(request, $"The following matching keys were ignored (not supported at this level): {ignored}.")));
        }

        var returned = qido.Query.Offset + result.Matches.Count;
        if (returned < result.TotalCount)
        {
            response.Headers.Add(new("Warning", RequestUrls.Warning(request,
                $"There are {result.TotalCount} matches; {result.Matches.Count} from offset {qido.Query.Offset} are returned: ask for more with offset.")));
        }

        return response;
    }

    /// <summary>The caller's departments as the configuration spells them (the index stores configured names).</summary>
    private static string[] ConfiguredNames(DicomWebCaller caller, ArchiveOptions archive) =>
        caller.Departments
            .Select(d => archive.Departments.FirstOrDefault(c => string.Equals(c.Name, d, StringComparison.OrdinalIgnoreCase))?.Name ?? d)
            .Distinct(StringComparer.Ordinal)
            .ToArray();

    private static void Complete(DicomDataset match, QueryLevel level, string baseUrl, Dictionary<string, InstanceMetadata>? image)
    {
        match.Remove(DicomTag.QueryRetrieveLevel);
        var study = match.GetString(DicomTag.StudyInstanceUID);
        var series = match.GetString(DicomTag.SeriesInstanceUID);
        var sop = match.GetString(DicomTag.SOPInstanceUID);
        var url = level switch
        {
            QueryLevel.Study => $"{baseUrl}/studies/{study}",
            QueryLevel.Series => $"{baseUrl}/studies/{study}/series/{series}",
            _ => $"{baseUrl}/studies/{study}/series/{series}/instances/{sop}",
        };
        match.AddOrUpdate(DicomTag.RetrieveURL, DicomVR.UR, url);
        if (image is not null && sop is not null && image.TryGetValue(sop, out var row))
        {
            Set(match, DicomTag.Rows, DicomVR.US, row.Rows);
            Set(match, DicomTag.Columns, DicomVR.US, row.Columns);
            Set(match, DicomTag.BitsAllocated, DicomVR.US, row.BitsAllocated);
            if (row.NumberOfFrames is { } frames && match.Contains(DicomTag.NumberOfFrames))
            {
                match.AddOrUpdate(DicomTag.NumberOfFrames, DicomVR.IS, frames.ToString(CultureInfo.InvariantCulture));
            }
        }
    }

    private static void Set(DicomDataset match, DicomTag tag, DicomVR vr, int? value)
    {
        if (value is { } v && v is >= 0 and <= ushort.MaxValue && match.Contains(tag))
        {
            match.AddOrUpdateValues(tag, vr, (ushort)v);
        }
    }

    private static bool AcceptsJson(HttpRequest request)
    {
        var accepted = AcceptHeader.Parse(request);
        return accepted.Count == 0 || accepted.Any(a =>
            a.MediaType is "*/*" or "application/*"
            || a.MediaType.Equals(DicomWebMediaTypes.DicomJson, StringComparison.OrdinalIgnoreCase)
            || a.MediaType.Equals(DicomWebMediaTypes.Json, StringComparison.OrdinalIgnoreCase));
    }
}
