using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Vna.Cli.Import;

/// <summary>
/// The archive's HTTP API as <c>vna import</c> uses it: <c>GET /health</c> before starting, and one
/// <c>POST /api/instances</c> per file, the file streamed from disk (never held in memory) with its length announced. The
/// archive answers 200 only once the object is durable and indexed; anything else is a rejection, and no answer (or a 503,
/// or any other server error) means the file was not acknowledged: "archive unavailable".
/// </summary>
internal sealed class ArchiveClient : IDisposable
{
    public const string DicomMediaType = "application/dicom";
    public const string DepartmentHeader = "X-Vna-Department";

    private const int UploadBufferSize = 128 * 1024;
    private const int MaxReasonLength = 300;

    private readonly HttpClient _http;
    private readonly Uri _instances;
    private readonly Uri _health;
    private readonly string? _department;

    public ArchiveClient(Uri server, string? department, int parallel, TimeSpan requestTimeout)
    {
        ArgumentNullException.ThrowIfNull(server);
        Server = server;
        _department = department;
        _instances = new Uri(server, "api/instances");
        _health = new Uri(server, "health");
        _http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = Math.Max(parallel, 1),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        })
        {
            Timeout = requestTimeout,
        };
    }

    public Uri Server { get; }

    /// <summary>Null when the archive answers <c>GET /health</c>; otherwise why it cannot be used.</summary>
    public async Task<string?> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            using var response = await _http.GetAsync(_health, timeout.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode
                ? null
                : string.Create(CultureInfo.InvariantCulture, $"the archive at {Server} answered {(int)response.StatusCode} {response.ReasonPhrase} to GET /health");
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return $"cannot reach the archive at {Server}: {Describe(ex)}";
        }
    }

    /// <summary>Sends one file; never throws for the archive's or the network's failures (they are outcomes).</summary>
    public async Task<ImportFileOutcome> StoreAsync(string path, CancellationToken cancellationToken)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ImportFileOutcome.Rejected(path, File.Exists(path) || Directory.Exists(path) ? "Unreadable" : "NotFound", ex.Message);
        }

        await using (file.ConfigureAwait(false))
        {
            // StreamContent over the seekable file: Content-Length is the file's length, the body is read as it is sent.
            using var content = new StreamContent(file, UploadBufferSize);
            content.Headers.ContentType = new MediaTypeHeaderValue(DicomMediaType);
            using var request = new HttpRequestMessage(HttpMethod.Post, _instances) { Content = content };
            if (_department is not null)
            {
                request.Headers.Add(DepartmentHeader, _department);
            }

            // A server in Jwt mode needs a writer's token for the department ($VNA_TOKEN, as the admin commands send it).
            Admin.AdminToken.Apply(request);

            try
            {
                using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                return Interpret(path, response, body);
            }
            catch (HttpRequestException ex)
            {
                return ImportFileOutcome.Rejected(path, ImportFileOutcome.ArchiveUnavailable, $"no answer ({Describe(ex)}); not acknowledged");
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                return ImportFileOutcome.Rejected(
                    path, ImportFileOutcome.ArchiveUnavailable, $"no answer within {_http.Timeout.TotalSeconds:0} s ({Describe(ex)}); not acknowledged");
            }
        }
    }

    public void Dispose() => _http.Dispose();

    private static ImportFileOutcome Interpret(string path, HttpResponseMessage response, string body)
    {
        JsonElement? json = null;
        JsonDocument? document = null;
        try
        {
            if (body.TrimStart().StartsWith('{'))
            {
                document = JsonDocument.Parse(body);
                json = document.RootElement;
            }
        }
        catch (JsonException)
        {
            // Not the archive's JSON: reported below from the status line and the text.
        }

        using (document)
        {
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var status = json is { } ok ? String(ok, "status") : null;
                return status switch
                {
                    "Stored" => new ImportFileOutcome(path, ImportStatus.Stored, null, null),
                    "Duplicate" => new ImportFileOutcome(path, ImportStatus.Duplicate, null, null),
                    "Replaced" => new ImportFileOutcome(path, ImportStatus.Replaced, null, json is { } r ? String(r, "reason") : null),
                    "KeptFirst" => new ImportFileOutcome(path, ImportStatus.KeptFirst, null, json is { } k ? String(k, "reason") : null),
                    _ => ImportFileOutcome.Rejected(path, "unexpected answer", $"HTTP 200 with status '{status ?? "(none)"}': {Shorten(body)}"),
                };
            }

            var detail = json is { } problem ? String(problem, "detail") ?? String(problem, "title") : null;
            var failure = json is { } f ? String(f, "failure") : null;
            var reason = detail ?? (body.Length > 0 ? Shorten(body) : response.ReasonPhrase ?? "no reason given");
            if ((int)response.StatusCode >= 500)
            {
                // 503: the archive could not make the object durable or register it now. Any other server error (a fault,
                // a proxy's 502/504) did not acknowledge the object either: sending it again is what helps.
                return ImportFileOutcome.Rejected(
                    path, ImportFileOutcome.ArchiveUnavailable, string.Create(CultureInfo.InvariantCulture, $"{reason} (HTTP {(int)response.StatusCode}; not acknowledged)"));
            }

            var category = failure ?? response.StatusCode switch
            {
                HttpStatusCode.UnsupportedMediaType => "UnsupportedMediaType",
                HttpStatusCode.RequestEntityTooLarge => "TooLarge",
                HttpStatusCode.Forbidden => "NotAuthorized",
                _ => string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)response.StatusCode}"),
            };
            return ImportFileOutcome.Rejected(path, category, reason);
        }
    }

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>The innermost message (the socket error rather than "an error occurred while sending the request").</summary>
    private static string Describe(Exception ex)
    {
        var inner = ex;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return ReferenceEquals(inner, ex) || string.IsNullOrEmpty(inner.Message) ? ex.Message : inner.Message;
    }

    private static string Shorten(string text)
    {
        var oneLine = text.ReplaceLineEndings(" ").Trim();
        return oneLine.Length <= MaxReasonLength ? oneLine : oneLine[..MaxReasonLength] + "…";
    }
}
