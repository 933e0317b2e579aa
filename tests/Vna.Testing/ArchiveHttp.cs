using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Vna.Testing;

/// <summary>The archive's own HTTP API as the tests use it: store one object, look up an instance or a study, health.</summary>
public static class ArchiveHttp
{
    public const string DicomMediaType = "application/dicom";

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    /// <summary>A client for talking to test servers: no proxy, generous timeout (a store may wait out a failover).</summary>
    public static HttpClient CreateClient(TimeSpan? timeout = null) =>
        new(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 32, PooledConnectionIdleTimeout = TimeSpan.FromSeconds(5) })
        {
            Timeout = timeout ?? TimeSpan.FromSeconds(120),
        };

    /// <summary>POST /api/instances; never throws for a missing or failed answer (see <see cref="PostResult.Error"/>).</summary>
    public static async Task<PostResult> PostAsync(
        HttpClient client, Uri server, byte[] body, CancellationToken cancellationToken, string? contentType = DicomMediaType, string? department = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(body);
        using var content = new ByteArrayContent(body);
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, "api/instances")) { Content = content };
        if (department is not null)
        {
            request.Headers.Add("X-Vna-Department", department);
        }

        try
        {
            using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var result = new PostResult
            {
                StatusCode = response.StatusCode,
                MediaType = response.Content.Headers.ContentType?.MediaType,
                Body = text,
            };
            if (text.Length == 0 || !text.TrimStart().StartsWith('{'))
            {
                return result;
            }

            using var json = JsonDocument.Parse(text);
            var root = json.RootElement;
            return result with
            {
                Status = String(root, "status"),
                Sha256 = String(root, "sha256"),
                SopInstanceUid = String(root, "sopInstanceUid"),
                Title = String(root, "title"),
                Detail = String(root, "detail"),
                Failure = String(root, "failure"),
                ProblemStatus = root.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt32() : null,
            };
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException || ex is TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new PostResult { Error = ex };
        }
    }

    /// <summary>GET /api/instances/{uid}: the placement, or null on 404.</summary>
    public static async Task<InstancePlacement?> GetInstanceAsync(HttpClient client, Uri server, string sopInstanceUid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var response = await client.GetAsync(new Uri(server, "api/instances/" + sopInstanceUid), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<InstancePlacement>(s_json, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>GET /api/studies/{uid}: the study's instance count, or null on 404.</summary>
    public static async Task<int?> GetStudyInstanceCountAsync(HttpClient client, Uri server, string studyInstanceUid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var response = await client.GetAsync(new Uri(server, "api/studies/" + studyInstanceUid), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        return json.RootElement.GetProperty("instanceCount").GetInt32();
    }

    /// <summary>True when GET /health answers 200.</summary>
    public static async Task<bool> IsHealthyAsync(HttpClient client, Uri server, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        try
        {
            using var response = await client.GetAsync(new Uri(server, "health"), cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
