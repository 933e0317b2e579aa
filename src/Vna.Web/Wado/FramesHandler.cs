using System.Globalization;
using Microsoft.AspNetCore.Http;
using Vna.Core;
using Vna.Web.Http;

namespace Vna.Web.Wado;

/// <summary>WADO-RS frames (PS3.18 10.4.1.1.3): <c>…/instances/{sop}/frames/{list}</c> as multipart/related, one part per frame, in the order asked.</summary>
internal static class FramesHandler
{
    public static async Task<IResult> HandleAsync(HttpContext context, string study, string series, string sop, string frameList, CancellationToken cancellationToken)
    {
        var numbers = new List<int>();
        foreach (var item in frameList.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
            {
                return Problems.BadRequest($"The frame list '{frameList}' is not a comma-separated list of frame numbers from 1.");
            }

            numbers.Add(n);
        }

        var (instances, problem) = await InstanceResolver.ResolveAsync(context, study, series, sop, cancellationToken).ConfigureAwait(false);
        if (instances is null)
        {
            return problem!;
        }

        var instance = instances[0];
        var transcoder = context.RequestServices.GetRequiredService<IInstanceTranscoder>();
        var choice = FrameNegotiation.Choose(AcceptHeader.Parse(context.Request), instance.TransferSyntaxUid, transcoder);
        if (choice is null)
        {
            return Problems.NotAcceptable($"The frames are stored as {instance.TransferSyntaxUid} and cannot be served as asked (ask with transfer-syntax=* for the stored encoding).");
        }

        OpenedInstance opened;
        try
        {
            opened = await OpenedInstance.OpenAsync(context.RequestServices.GetRequiredService<IInstanceContentSource>(), transcoder, instance,
                RecallWait.MaxWait(context), choice.Value.TranscodeTo, cancellationToken).ConfigureAwait(false);
        }
        catch (StudyRecallPendingException pending)
        {
            return RecallWait.Pending(pending);
        }
        catch (TranscodeException ex)
        {
            return Problems.NotAcceptable("The frames could not be re-encoded: " + ex.Message);
        }

        await using (opened.ConfigureAwait(false))
        {
            var available = FrameReader.NumberOfFrames(opened.File.Dataset);
            var beyond = numbers.Where(n => n > available).ToArray();
            if (beyond.Length > 0)
            {
                return Problems.NotFound($"The instance has {available} frame(s); frame {beyond[0]} does not exist.");
            }

            var frames = new List<byte[]>(numbers.Count);
            try
            {
                foreach (var number in numbers)
                {
                    frames.Add(await FrameReader.ReadAsync(opened.File.Dataset, number, cancellationToken).ConfigureAwait(false));
                }
            }
            catch (InvalidDataException ex)
            {
                return Problems.Create(StatusCodes.Status409Conflict, "Frames unavailable", ex.Message);
            }

            var partType = choice.Value.PartType;
            var writer = MultipartResponseWriter.Start(context.Response, partType.Split(';')[0]);
            var location = $"{RequestUrls.BaseUrl(context.Request)}/studies/{study}/series/{series}/instances/{sop}/frames/";
            for (var i = 0; i < frames.Count; i++)
            {
                await writer.WritePartAsync(partType, location + numbers[i].ToString(CultureInfo.InvariantCulture), frames[i], cancellationToken).ConfigureAwait(false);
            }

            await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        return Results.Empty;
    }
}
