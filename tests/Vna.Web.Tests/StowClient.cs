using System.Net;
using System.Text.Json;

namespace Vna.Web.Tests;

/// <summary>STOW-RS, QIDO-RS and WADO-RS calls as the tests make them.</summary>
public static class StowClient
{
    public sealed record Answer(HttpStatusCode Status, string? MediaType, byte[] Body, string? ContentType, IReadOnlyList<string> Warnings)
    {
        public string Text => System.Text.Encoding.UTF8.GetString(Body);

        public JsonElement Json => JsonDocument.Parse(Body).RootElement;

        public override string ToString() => $"{(int)Status} {MediaType}: {(Text.Length > 600 ? Text[..600] : Text)}";
    }

    public static async Task<Answer> StoreAsync(HttpClient http, Uri dicomWeb, IEnumerable<byte[]> instances, CancellationToken cancellationToken, string? study = null)
    {
        var (body, boundary) = MultipartBody.Build(instances.Select(i => ("application/dicom", i, (string?)null)));
        using var content = MultipartBody.Content(body, boundary);
        return await SendAsync(http, new HttpRequestMessage(HttpMethod.Post, new Uri(dicomWeb, study is null ? "studies" : $"studies/{study}")) { Content = content }, cancellationToken);
    }

    public static Task<Answer> GetAsync(HttpClient http, Uri url, CancellationToken cancellationToken, string? accept = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        return SendAsync(http, request, cancellationToken);
    }

    public static async Task<Answer> SendAsync(HttpClient http, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var warnings = response.Headers.TryGetValues("Warning", out var values) ? values.ToArray() : [];
            return new Answer(response.StatusCode, response.Content.Headers.ContentType?.MediaType, body, response.Content.Headers.ContentType?.ToString(), warnings);
        }
    }
}
