using Microsoft.AspNetCore.Http;

namespace Vna.Web.Http;

/// <summary>Absolute URLs of this server's DICOMweb resources, as the caller reached it.</summary>
internal static class RequestUrls
{
    public static string BaseUrl(HttpRequest request) =>
        $"{request.Scheme}://{request.Host.Value}{request.PathBase.Value}{DicomWebOptions.BasePath}";

    /// <summary>A Warning header value (RFC 7234 5.5, as PS3.18 uses it): <c>299 host "text"</c>.</summary>
    public static string Warning(HttpRequest request, string text) =>
        $"299 {request.Host.Value} \"{text.Replace('"', '\'')}\"";
}
