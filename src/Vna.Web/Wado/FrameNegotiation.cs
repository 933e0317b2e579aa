using Vna.Core;
using Vna.Web.Http;

namespace Vna.Web.Wado;

/// <summary>
/// Chooses how frames are served (PS3.18 8.7.4): <c>application/octet-stream</c> is uncompressed (Explicit VR Little
/// Endian, transcoded when stored compressed and the transcoder can); an image media type (image/jpeg, image/jls,
/// image/jp2, image/jphc, image/dicom-rle) is the stored codestream when the stored syntax matches, or a transcode;
/// <c>transfer-syntax=*</c> serves whatever is stored.
/// </summary>
internal static class FrameNegotiation
{
    /// <summary>How to serve: the syntax to transcode to (null: as stored) and each part's Content-Type; null when nothing acceptable can be served.</summary>
    public static (string? TranscodeTo, string PartType)? Choose(IReadOnlyList<AcceptedType> accepted, string stored, IInstanceTranscoder transcoder)
    {
        var candidates = accepted.Count == 0
            ? [new AcceptedType(DicomWebMediaTypes.MultipartRelated, DicomWebMediaTypes.OctetStream, null, 1)]
            : accepted;
        var storedMedia = DicomWebMediaTypes.FrameMediaType(stored);
        foreach (var candidate in candidates)
        {
            var type = candidate.MediaType == "*/*" ? "*/*" : candidate.IsMultipart ? candidate.PartType ?? "*/*" : candidate.MediaType;
            var syntax = candidate.TransferSyntax;
            if (syntax == "*" || type == "*/*" && syntax is null)
            {
                return (null, PartType(storedMedia, stored));
            }

            if (type.Equals(DicomWebMediaTypes.OctetStream, StringComparison.OrdinalIgnoreCase))
            {
                var wanted = syntax ?? DicomWebMediaTypes.ExplicitVrLittleEndian;
                if (wanted == DicomWebMediaTypes.ExplicitVrLittleEndian && storedMedia is null)
                {
                    return (null, PartType(null, wanted)); // native pixel data is served uncompressed whatever its stored syntax
                }

                if (wanted == stored)
                {
                    return (null, PartType(storedMedia, stored));
                }

                if (transcoder.CanTranscode(stored, wanted))
                {
                    return (wanted, PartType(DicomWebMediaTypes.FrameMediaType(wanted), wanted));
                }

                continue;
            }

            if (type.StartsWith("image/", StringComparison.OrdinalIgnoreCase))
            {
                var wanted = syntax ?? DefaultSyntax(type);
                if (wanted is null)
                {
                    continue;
                }

                if (wanted == stored)
                {
                    return (null, PartType(storedMedia, stored));
                }

                if (transcoder.CanTranscode(stored, wanted))
                {
                    return (wanted, PartType(DicomWebMediaTypes.FrameMediaType(wanted), wanted));
                }
            }
        }

        return null;
    }

    private static string PartType(string? media, string syntax) =>
        $"{media ?? DicomWebMediaTypes.OctetStream}; transfer-syntax={(media is null ? DicomWebMediaTypes.ExplicitVrLittleEndian : syntax)}";

    /// <summary>The default transfer syntax of an image media type (PS3.18 Table 8.7.3-2).</summary>
    private static string? DefaultSyntax(string mediaType) => mediaType.ToLowerInvariant() switch
    {
        "image/jpeg" => "1.2.840.10008.1.2.4.70",
        "image/jls" => "1.2.840.10008.1.2.4.80",
        "image/jp2" => "1.2.840.10008.1.2.4.90",
        "image/jpx" => "1.2.840.10008.1.2.4.92",
        "image/jphc" => "1.2.840.10008.1.2.4.201",
        "image/dicom-rle" => "1.2.840.10008.1.2.5",
        _ => null,
    };
}
