namespace Vna.Web.Http;

/// <summary>
/// One acceptable representation from an Accept header: the media type, for multipart/related its "type" parameter, the
/// "transfer-syntax" parameter ("*" for any, null when absent) and the quality.
/// </summary>
internal sealed record AcceptedType(string MediaType, string? PartType, string? TransferSyntax, double Quality)
{
    public bool IsMultipart => string.Equals(MediaType, DicomWebMediaTypes.MultipartRelated, StringComparison.OrdinalIgnoreCase);

    /// <summary>The media type of the content (the part type for multipart/related).</summary>
    public string ContentType => IsMultipart ? PartType ?? string.Empty : MediaType;

    public bool IsWildcard => MediaType is "*/*" || (IsMultipart && (PartType is null or "*/*"));
}
