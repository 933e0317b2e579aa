using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Vna.Cli.Admin;

/// <summary>
/// Calls of the archive's compliance API (<c>/api/policies</c>, <c>/api/holds</c>, <c>/api/audit</c>) for the
/// <c>vna policy</c>, <c>vna hold</c> and <c>vna audit</c> commands, with the bearer token of <c>$VNA_TOKEN</c>
/// (<see cref="AdminToken"/>). Who acts is the token's subject; a server in development mode takes <c>X-Vna-User</c>.
/// </summary>
internal sealed class AdminHttp(Uri server, string? user) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromMinutes(10) };

    public async Task<AdminAnswer> SendAsync(HttpMethod method, string path, HttpContent? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(server, path)) { Content = body };
        AdminToken.Apply(request);
        if (!string.IsNullOrWhiteSpace(user))
        {
            request.Headers.Add("X-Vna-User", user);
        }

        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(bytes.Length == 0 ? "{}"u8.ToArray() : bytes);
        }
        catch (JsonException)
        {
            json = JsonDocument.Parse(JsonSerializer.Serialize(Encoding.UTF8.GetString(bytes), CliJsonContext.Default.String));
        }

        return new AdminAnswer(response.StatusCode, json);
    }

    public static HttpContent Yaml(string text) => new StringContent(text, Encoding.UTF8, new MediaTypeHeaderValue("application/yaml"));

    public static HttpContent Json(string json) => new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

    public void Dispose() => _http.Dispose();
}
