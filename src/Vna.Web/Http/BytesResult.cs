using Microsoft.AspNetCore.Http;

namespace Vna.Web.Http;

/// <summary>A response of bytes already made, with a status, a media type and optional headers (Warning, Retry-After).</summary>
internal sealed class BytesResult(ReadOnlyMemory<byte> body, string contentType, int statusCode = StatusCodes.Status200OK) : IResult
{
    public IList<KeyValuePair<string, string>> Headers { get; } = [];

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = statusCode;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        foreach (var (name, value) in Headers)
        {
            response.Headers.Append(name, value);
        }

        await response.Body.WriteAsync(body, httpContext.RequestAborted).ConfigureAwait(false);
    }
}
