using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Vna.Core;
using Vna.Dicom;
using Vna.Web.Access;
using Vna.Web.Http;

namespace Vna.Web.Stow;

/// <summary>
/// STOW-RS (PS3.18 10.5): <c>POST /studies</c> and <c>/studies/{study}</c> with a multipart/related body. Each
/// application/dicom part is streamed straight into the Store feature (to the hot tier, hashed on the way: a request of
/// any size takes a few buffers of memory); a DICOM JSON request (metadata part plus bulk data parts) is spooled to disk
/// and assembled by <see cref="StowJsonAssembler"/>. Every instance gets the durability of C-STORE: it is listed in
/// ReferencedSOPSequence only once it is fsync'd and indexed.
/// </summary>
internal static partial class StowHandler
{
    private const int HeadersLengthLimit = 16 * 1024;

    public static async Task<IResult> HandleAsync(HttpContext context, string? study, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var services = context.RequestServices;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Vna.Web.Stow");
        if (study is not null && !DicomUid.IsValid(study))
        {
            return Problems.BadRequest($"'{study}' is not a valid Study Instance UID.");
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !contentType.MediaType.Equals(DicomWebMediaTypes.MultipartRelated, StringComparison.OrdinalIgnoreCase))
        {
            return Problems.UnsupportedMediaType(
                "STOW-RS takes multipart/related; type=\"application/dicom\" (or type=\"application/dicom+json\" with bulk data parts).");
        }

        var type = contentType.Parameters.FirstOrDefault(p => p.Name.Equals("type", StringComparison.OrdinalIgnoreCase)) is { } typeParameter
            ? HeaderUtilities.RemoveQuotes(typeParameter.Value).Value
            : null;
        var json = type is not null && (type.Equals(DicomWebMediaTypes.DicomJson, StringComparison.OrdinalIgnoreCase)
            || type.Equals(DicomWebMediaTypes.Json, StringComparison.OrdinalIgnoreCase));
        if (type is not null && !json && !type.Equals(DicomWebMediaTypes.Dicom, StringComparison.OrdinalIgnoreCase))
        {
            return Problems.UnsupportedMediaType($"The multipart type \"{type}\" is not stored: use application/dicom or application/dicom+json.");
        }

        var boundary = HeaderUtilities.RemoveQuotes(contentType.Boundary).Value;
        if (string.IsNullOrEmpty(boundary) || boundary.Length > 70)
        {
            return Problems.BadRequest("The multipart/related Content-Type has no valid boundary parameter.");
        }

        var caller = AccessFilter.GetCaller(context);
        var archive = services.GetRequiredService<IOptionsMonitor<ArchiveOptions>>().CurrentValue;
        var (department, refusal) = StoreDepartment.Resolve(request, caller, archive);
        if (department is null)
        {
            return Problems.Forbidden(refusal!);
        }

        // The archive enforces its own object size limit (Archive:MaxObjectSize) per part while it streams; Kestrel's default
        // request limit (30 MB) would refuse a 2 GB upload.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = null;
        }

        var storeRequest = new StoreRequest
        {
            Department = department,
            Actor = "dicomweb:" + caller.Name,
            ExpectedStudyInstanceUid = study,
        };
        var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = HeadersLengthLimit, BodyLengthLimit = null };
        var store = services.GetRequiredService<StoreService>();
        var (parts, malformed) = json
            ? await StowJsonAssembler.StoreAsync(reader, store, storeRequest, services, cancellationToken).ConfigureAwait(false)
            : await StoreDicomPartsAsync(reader, store, storeRequest, type, services.GetRequiredService<IOptionsMonitor<DicomWebOptions>>().CurrentValue, cancellationToken).ConfigureAwait(false);

        var stored = parts.Count(p => p.Succeeded);
        LogStow(logger, department, parts.Count, stored, malformed is not null);
        if (malformed is not null)
        {
            return Problems.BadRequest(
                "The multipart body is malformed or truncated: " + malformed
                + (stored > 0 ? $" The {stored} complete instance(s) before the fault were stored (listed in 'stored'); the incomplete one was not." : " Nothing was stored."),
                new Dictionary<string, object?>
                {
                    ["stored"] = parts.Where(p => p.Succeeded).Select(p => p.Result!.SopInstanceUid).ToArray(),
                });
        }

        if (parts.Count == 0)
        {
            return Problems.BadRequest("The multipart body holds no part.");
        }

        var response = StowResponse.Build(parts, RequestUrls.BaseUrl(request), study);
        var body = DicomJson.SerializeToUtf8Bytes(response);
        if (stored == 0 && parts.All(p => p.Result is { Failure: StoreFailure.OutOfResources } r && r.Reason?.Contains("larger than", StringComparison.Ordinal) == true))
        {
            return Problems.Create(StatusCodes.Status413PayloadTooLarge, "Payload too large",
                $"No instance was stored: each is larger than the {archive.MaxObjectSize} bytes the archive accepts.");
        }

        var status = stored == parts.Count ? StatusCodes.Status200OK
            : stored > 0 ? StatusCodes.Status202Accepted
            : StatusCodes.Status409Conflict;
        var result = new BytesResult(body, DicomWebMediaTypes.DicomJson, status);
        foreach (var part in parts.Where(p => !p.Succeeded))
        {
            var reason = part.PartProblem ?? part.Result?.Reason ?? "not stored";
            result.Headers.Add(new("Warning", RequestUrls.Warning(request, reason.Length > 300 ? reason[..300] : reason)));
        }

        return result;
    }

    /// <summary>
    /// Stores the application/dicom parts. A part of up to <see cref="DicomWebOptions.StowBufferedPartSize"/> bytes is read
    /// into memory and stored while the next parts are read, up to <see cref="DicomWebOptions.StowConcurrency"/> at a time
    /// (concurrent registrations of one study share a grain call); a larger part is streamed straight into the Store
    /// feature. So memory stays bounded by concurrency × part size, whatever the request's size. Results keep part order.
    /// </summary>
    private static async Task<(List<StowPartResult> Parts, string? Malformed)> StoreDicomPartsAsync(
        MultipartReader reader, StoreService store, StoreRequest storeRequest, string? type, DicomWebOptions options, CancellationToken cancellationToken)
    {
        var pending = new List<Task<StowPartResult>>();
        using var slots = new SemaphoreSlim(Math.Max(1, options.StowConcurrency));
        string? malformed = null;
        try
        {
            while (true)
            {
                MultipartSection? section;
                try
                {
                    section = await reader.ReadNextSectionAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or InvalidDataException)
                {
                    malformed = ex.Message;
                    break;
                }

                if (section is null)
                {
                    break;
                }

                var partType = section.ContentType is { } declared && MediaTypeHeaderValue.TryParse(declared, out var parsed)
                    ? parsed.MediaType.Value
                    : type ?? DicomWebMediaTypes.Dicom;
                if (!string.Equals(partType, DicomWebMediaTypes.Dicom, StringComparison.OrdinalIgnoreCase))
                {
                    // Drained by the next read; reported as a failed instance.
                    pending.Add(Task.FromResult(new StowPartResult(null, $"A part of type {partType} was not stored: each part must be application/dicom.")));
                    continue;
                }

                await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
                var released = false;
                try
                {
                    var buffer = new MemoryStream();
                    var whole = await ReadUpToAsync(section.Body, buffer, options.StowBufferedPartSize, cancellationToken).ConfigureAwait(false);
                    if (whole)
                    {
                        buffer.Position = 0;
                        released = true;
                        pending.Add(StoreBufferedAsync(store, buffer, storeRequest, slots, cancellationToken));
                        continue;
                    }

                    // Too large to hold: what was read, then the rest of the part, streamed into the Store feature.
                    buffer.Position = 0;
                    await using var rest = new PrefixedReadStream(buffer, section.Body);
                    pending.Add(Task.FromResult(new StowPartResult(await store.StoreAsync(rest, storeRequest, cancellationToken).ConfigureAwait(false), null)));
                }
                catch (Exception ex) when (ex is IOException or InvalidDataException)
                {
                    // The part ended before its closing boundary (or the connection did): the Store feature removed what it had.
                    malformed = ex.Message;
                    break;
                }
                finally
                {
                    if (!released)
                    {
                        slots.Release();
                    }
                }
            }
        }
        finally
        {
            // Every part already read is stored (or refused) before the answer, so the answer lists what is durable.
            await Task.WhenAll(pending.Select(t => t.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default))).ConfigureAwait(false);
        }

        var parts = new List<StowPartResult>(pending.Count);
        foreach (var task in pending)
        {
            parts.Add(await task.ConfigureAwait(false));
        }

        return (parts, malformed);
    }

    private static async Task<StowPartResult> StoreBufferedAsync(StoreService store, MemoryStream buffer, StoreRequest request, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        try
        {
            await using (buffer.ConfigureAwait(false))
            {
                return new StowPartResult(await store.StoreAsync(buffer, request, cancellationToken).ConfigureAwait(false), null);
            }
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>Copies <paramref name="source"/> into <paramref name="buffer"/> until its end (true) or past <paramref name="limit"/> bytes (false).</summary>
    private static async Task<bool> ReadUpToAsync(Stream source, MemoryStream buffer, long limit, CancellationToken cancellationToken)
    {
        var chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            while (true)
            {
                var read = await source.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return true;
                }

                buffer.Write(chunk, 0, read);
                if (buffer.Length > limit)
                {
                    return false;
                }
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    [LoggerMessage(1, LogLevel.Information, "STOW-RS for department {Department}: {Parts} part(s), {Stored} stored, malformed: {Malformed}.")]
    private static partial void LogStow(ILogger logger, string department, int parts, int stored, bool malformed);
}
