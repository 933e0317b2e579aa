using Microsoft.AspNetCore.Http;
using Vna.Core;
using Vna.Dicom;
using Vna.Web.Http;
using Vna.Web.Rendering;

namespace Vna.Web.Wado;

/// <summary>
/// WADO-RS rendered and thumbnail resources (PS3.18 10.4.1.1.4, 10.4.1.1.6): one frame (the first unless named) of an
/// instance, or for a series or study its middle instance, rendered to 8 bits by <see cref="ImageRenderer"/> from
/// uncompressed pixels (a compressed instance is decoded through the <see cref="IInstanceTranscoder"/> port first), and
/// written as image/jpeg (JPEG through the port) or image/png (managed).
/// </summary>
internal static class RenderedHandler
{
    /// <summary>Largest side of a thumbnail without a viewport.</summary>
    public const int ThumbnailSize = 128;

    public static async Task<IResult> HandleAsync(
        HttpContext context, string study, string? series, string? sop, int? frame, bool thumbnail, CancellationToken cancellationToken)
    {
        var services = context.RequestServices;
        var transcoder = services.GetRequiredService<IInstanceTranscoder>();
        var format = ChooseFormat(AcceptHeader.Parse(context.Request), JpegEncoder.IsAvailable(transcoder));
        if (format is null)
        {
            return Problems.NotAcceptable(JpegEncoder.IsAvailable(transcoder)
                ? "Rendered images are image/jpeg or image/png."
                : "Rendered images are image/png here (no codec for image/jpeg is registered).");
        }

        var ignored = new List<string>();
        var (parameters, problem) = RenderParameters.Parse(context.Request.Query, ignored);
        if (parameters is null)
        {
            return Problems.BadRequest(problem!);
        }

        return await RenderAsync(context, study, series, sop, frame, thumbnail ? ThumbnailSize : null, parameters, format, ignored, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Renders with parameters and a format already chosen (WADO-RS rendered, thumbnails, WADO-URI images).</summary>
    public static async Task<IResult> RenderAsync(
        HttpContext context, string study, string? series, string? sop, int? frame, int? defaultSize, RenderParameters parameters, string format,
        IReadOnlyList<string> ignored, CancellationToken cancellationToken)
    {
        var services = context.RequestServices;
        var transcoder = services.GetRequiredService<IInstanceTranscoder>();
        var (instances, notFound) = await InstanceResolver.ResolveAsync(context, study, series, sop, cancellationToken).ConfigureAwait(false);
        if (instances is null)
        {
            return notFound!;
        }

        // A series or study is represented by its middle instance (of the first series).
        var images = instances.Where(i => i.SeriesInstanceUid == instances[0].SeriesInstanceUid).ToArray();
        var instance = images[images.Length / 2];
        var stored = instance.TransferSyntaxUid;
        var native = DicomTransferSyntax.Parse(stored) is { IsEncapsulated: false, IsKnown: true };
        var explicitLe = DicomTransferSyntax.ExplicitVRLittleEndian.Uid;
        if (!native && !transcoder.CanTranscode(stored, explicitLe))
        {
            return Problems.NotAcceptable($"The instance is stored as {stored}, which no registered codec decodes; it cannot be rendered.");
        }

        OpenedInstance opened;
        try
        {
            opened = await OpenedInstance.OpenAsync(services.GetRequiredService<IInstanceContentSource>(), transcoder, instance,
                RecallWait.MaxWait(context), native ? null : explicitLe, cancellationToken).ConfigureAwait(false);
        }
        catch (StudyRecallPendingException pending)
        {
            return RecallWait.Pending(pending);
        }
        catch (TranscodeException ex)
        {
            return Problems.Create(StatusCodes.Status409Conflict, "Cannot render", "The instance could not be decoded: " + ex.Message);
        }

        await using (opened.ConfigureAwait(false))
        {
            var dataset = opened.File.Dataset;
            var number = frame ?? 1;
            if (number > FrameReader.NumberOfFrames(dataset))
            {
                return Problems.NotFound($"The instance has {FrameReader.NumberOfFrames(dataset)} frame(s); frame {number} does not exist.");
            }

            byte[] body;
            try
            {
                var pixels = await FrameReader.ReadAsync(dataset, number, cancellationToken).ConfigureAwait(false);
                var image = ImageRenderer.Render(dataset, pixels, parameters, defaultSize);
                body = format == DicomWebMediaTypes.Png
                    ? PngEncoder.Encode(image)
                    : await JpegEncoder.EncodeAsync(transcoder, image, parameters.Quality, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidDataException ex)
            {
                return Problems.Create(StatusCodes.Status409Conflict, "Cannot render", ex.Message);
            }
            catch (TranscodeException ex)
            {
                return Problems.Create(StatusCodes.Status409Conflict, "Cannot render", "The image could not be encoded: " + ex.Message);
            }

            var result = new BytesResult(body, format);
            if (ignored.Count > 0)
            {
                result.Headers.Add(new("Warning", RequestUrls.Warning(context.Request, $"These parameters were ignored: {string.Join(", ", ignored)}.")));
            }

            return result;
        }
    }

    internal static string? ChooseFormat(IReadOnlyList<AcceptedType> accepted, bool jpegAvailable)
    {
        if (accepted.Count == 0)
        {
            return jpegAvailable ? DicomWebMediaTypes.Jpeg : DicomWebMediaTypes.Png;
        }

        foreach (var type in accepted)
        {
            var media = type.MediaType.ToLowerInvariant();
            if (media == DicomWebMediaTypes.Jpeg && jpegAvailable)
            {
                return DicomWebMediaTypes.Jpeg;
            }

            if (media == DicomWebMediaTypes.Png)
            {
                return DicomWebMediaTypes.Png;
            }

            if (media is "*/*" or "image/*")
            {
                return jpegAvailable ? DicomWebMediaTypes.Jpeg : DicomWebMediaTypes.Png;
            }
        }

        return null;
    }
}
