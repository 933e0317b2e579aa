using Microsoft.AspNetCore.Http;
using Vna.Core;
using Vna.Web.Http;

namespace Vna.Web.Wado;

/// <summary>
/// WADO-RS retrieval of studies, series and instances (PS3.18 10.4) as multipart/related application/dicom, each object read
/// through <see cref="IInstanceContentSource"/> and streamed into the response, re-encoded by the
/// <see cref="IInstanceTranscoder"/> only when the caller asked for another transfer syntax.
/// </summary>
internal static class RetrieveHandler
{
    public static async Task<IResult> HandleAsync(HttpContext context, string study, string? series, string? sop, CancellationToken cancellationToken)
    {
        var (instances, problem) = await InstanceResolver.ResolveAsync(context, study, series, sop, cancellationToken).ConfigureAwait(false);
        if (instances is null)
        {
            return problem!;
        }

        var transcoder = context.RequestServices.GetRequiredService<IInstanceTranscoder>();
        var syntax = RetrieveNegotiation.Choose(AcceptHeader.Parse(context.Request), instances, transcoder, out var refusal);
        if (syntax is null)
        {
            return Problems.NotAcceptable(refusal!);
        }

        // The first object is opened before the answer starts, so a recall in progress can still be answered 202.
        InstanceContent first;
        try
        {
            first = await RecallWait.OpenAsync(context, instances[0], cancellationToken).ConfigureAwait(false);
        }
        catch (StudyRecallPendingException pending)
        {
            return RecallWait.Pending(pending);
        }

        var baseUrl = RequestUrls.BaseUrl(context.Request);
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        var writer = MultipartResponseWriter.Start(response, DicomWebMediaTypes.Dicom, syntax == "*" ? null : syntax);
        try
        {
            for (var i = 0; i < instances.Count; i++)
            {
                var instance = instances[i];
                var content = i == 0 ? first : await RecallWait.OpenAsync(context, instance, cancellationToken).ConfigureAwait(false);
                await using (content.ConfigureAwait(false))
                {
                    var location = $"{baseUrl}/studies/{instance.StudyInstanceUid}/series/{instance.SeriesInstanceUid}/instances/{instance.SopInstanceUid}";
                    var target = syntax == "*" ? content.TransferSyntaxUid : syntax;
                    if (string.Equals(target, content.TransferSyntaxUid, StringComparison.Ordinal))
                    {
                        await writer.WritePartAsync($"{DicomWebMediaTypes.Dicom}; transfer-syntax={target}", location, content.Stream, content.Length, cancellationToken)
                            .ConfigureAwait(false);
                    }
                    else
                    {
                        await using var transcoded = await Transcoding.ToTemporaryFileAsync(transcoder, content, target, cancellationToken).ConfigureAwait(false);
                        await writer.WritePartAsync($"{DicomWebMediaTypes.Dicom}; transfer-syntax={target}", location, transcoded, transcoded.Length, cancellationToken)
                            .ConfigureAwait(false);
                    }
                }
            }

            await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or StudyRecallPendingException or TranscodeException or InvalidOperationException)
        {
            // The status line is sent: the only honest signal left is to break the connection, so the client sees an
            // incomplete multipart body instead of a short one that looks whole.
            context.Abort();
        }

        return Results.Empty;
    }
}
