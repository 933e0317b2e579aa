using System.Globalization;
using Microsoft.AspNetCore.Http;
using Vna.Core;
using Vna.Dicom;
using Vna.Web.Http;
using Vna.Web.Rendering;

namespace Vna.Web.Wado;

/// <summary>
/// WADO-URI (PS3.18 9): <c>GET /dicomweb/wado?requestType=WADO&amp;studyUID=…&amp;seriesUID=…&amp;objectUID=…</c> with
/// <c>contentType</c> application/dicom (the object, in <c>transferSyntax</c>, default Explicit VR Little Endian, re-encoded
/// through the transcoder port when needed) or image/jpeg (the default) and image/png (rendered: <c>frameNumber</c>,
/// <c>windowCenter</c>/<c>windowWidth</c>, <c>rows</c>/<c>columns</c>, <c>imageQuality</c>).
/// </summary>
internal static class WadoUriHandler
{
    public static async Task<IResult> HandleAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var query = context.Request.Query;
        if (!string.Equals(query["requestType"].ToString(), "WADO", StringComparison.Ordinal))
        {
            return Problems.BadRequest("requestType must be WADO.");
        }

        string study = query["studyUID"].ToString(), series = query["seriesUID"].ToString(), sop = query["objectUID"].ToString();
        if (study.Length == 0 || series.Length == 0 || sop.Length == 0)
        {
            return Problems.BadRequest("studyUID, seriesUID and objectUID are required.");
        }

        var transcoder = context.RequestServices.GetRequiredService<IInstanceTranscoder>();
        var contentTypes = query["contentType"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => t.Split(';')[0].ToLowerInvariant()).ToArray();
        if (contentTypes.Length == 0)
        {
            contentTypes = [DicomWebMediaTypes.Jpeg];
        }

        foreach (var contentType in contentTypes)
        {
            if (contentType == DicomWebMediaTypes.Dicom)
            {
                return await DicomAsync(context, study, series, sop, transcoder, cancellationToken).ConfigureAwait(false);
            }

            if (contentType == DicomWebMediaTypes.Png || (contentType == DicomWebMediaTypes.Jpeg && JpegEncoder.IsAvailable(transcoder)))
            {
                var (parameters, problem) = Parameters(query);
                if (parameters is null)
                {
                    return Problems.BadRequest(problem!);
                }

                int? frame = null;
                if (query.TryGetValue("frameNumber", out var frameText))
                {
                    if (!int.TryParse(frameText, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
                    {
                        return Problems.BadRequest($"frameNumber must be a frame number from 1, not '{frameText}'.");
                    }

                    frame = number;
                }

                return await RenderedHandler.RenderAsync(context, study, series, sop, frame, null, parameters, contentType, [], cancellationToken).ConfigureAwait(false);
            }
        }

        return Problems.NotAcceptable($"contentType '{query["contentType"]}' cannot be served: use application/dicom, image/png{(JpegEncoder.IsAvailable(transcoder) ? " or image/jpeg" : string.Empty)}.");
    }

    private static async Task<IResult> DicomAsync(HttpContext context, string study, string series, string sop, IInstanceTranscoder transcoder, CancellationToken cancellationToken)
    {
        var (instances, problem) = await InstanceResolver.ResolveAsync(context, study, series, sop, cancellationToken).ConfigureAwait(false);
        if (instances is null)
        {
            return problem!;
        }

        var instance = instances[0];
        var wanted = context.Request.Query["transferSyntax"].ToString() is { Length: > 0 } asked ? asked : DicomTransferSyntax.ExplicitVRLittleEndian.Uid;
        if (!RetrieveNegotiation.CanServe(instance.TransferSyntaxUid, wanted, transcoder))
        {
            return Problems.NotAcceptable($"The object is stored as {instance.TransferSyntaxUid} and cannot be served as {wanted}.");
        }

        InstanceContent content;
        try
        {
            content = await RecallWait.OpenAsync(context, instance, cancellationToken).ConfigureAwait(false);
        }
        catch (StudyRecallPendingException pending)
        {
            return RecallWait.Pending(pending);
        }

        await using (content.ConfigureAwait(false))
        {
            var response = context.Response;
            response.ContentType = DicomWebMediaTypes.Dicom;
            if (wanted == content.TransferSyntaxUid)
            {
                response.ContentLength = content.Length;
                await content.Stream.CopyToAsync(response.Body, 256 * 1024, cancellationToken).ConfigureAwait(false);
                return Results.Empty;
            }

            FileStream transcoded;
            try
            {
                transcoded = await Transcoding.ToTemporaryFileAsync(transcoder, content, wanted, cancellationToken).ConfigureAwait(false);
            }
            catch (TranscodeException ex)
            {
                return Problems.NotAcceptable("The object could not be re-encoded: " + ex.Message);
            }

            await using (transcoded.ConfigureAwait(false))
            {
                response.ContentLength = transcoded.Length;
                await transcoded.CopyToAsync(response.Body, 256 * 1024, cancellationToken).ConfigureAwait(false);
            }
        }

        return Results.Empty;
    }

    private static (RenderParameters? Parameters, string? Problem) Parameters(IQueryCollection query)
    {
        var parameters = new RenderParameters();
        if (query.ContainsKey("windowCenter") || query.ContainsKey("windowWidth"))
        {
            if (!double.TryParse(query["windowCenter"], NumberStyles.Float, CultureInfo.InvariantCulture, out var center)
                || !double.TryParse(query["windowWidth"], NumberStyles.Float, CultureInfo.InvariantCulture, out var width) || width < 1)
            {
                return (null, "windowCenter and windowWidth go together, as numbers, the width at least 1.");
            }

            parameters = parameters with { WindowCenter = center, WindowWidth = width };
        }

        int? rows = null, columns = null;
        foreach (var (key, set) in new (string, Action<int>)[] { ("rows", v => rows = v), ("columns", v => columns = v) })
        {
            if (query.TryGetValue(key, out var text))
            {
                if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value is < 1 or > 8192)
                {
                    return (null, $"{key} must be from 1 to 8192, not '{text}'.");
                }

                set(value);
            }
        }

        if (rows is not null || columns is not null)
        {
            parameters = parameters with { ViewportWidth = columns ?? 8192, ViewportHeight = rows ?? 8192 };
        }

        if (query.TryGetValue("imageQuality", out var quality))
        {
            if (!int.TryParse(quality, NumberStyles.None, CultureInfo.InvariantCulture, out var q) || q is < 1 or > 100)
            {
                return (null, $"imageQuality must be from 1 to 100, not '{quality}'.");
            }

            parameters = parameters with { Quality = q };
        }

        return (parameters, null);
    }
}
