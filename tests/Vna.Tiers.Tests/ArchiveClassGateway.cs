using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Vna.Tiers.Tests;

/// <summary>
/// Glacier's restore semantics in front of the real Ceph RGW, which keeps every storage class readable (its Pacific release
/// answers RestoreObject with 501). Every request is relayed unchanged (SigV4 still checked by RGW, every byte stored
/// there); only for objects RGW reports in the GLACIER or DEEP_ARCHIVE class does the gateway act as AWS does: a GET
/// before a finished restore is refused 403 InvalidObjectState, POST ?restore starts a restore that takes
/// <see cref="RestoreDuration"/> on the gateway's clock, and HEAD carries x-amz-restore (ongoing-request true/false).
/// </summary>
internal sealed class ArchiveClassGateway : IAsyncDisposable
{
    private static readonly HashSet<string> s_hopByHop = new(StringComparer.OrdinalIgnoreCase) { "Transfer-Encoding", "Connection", "Keep-Alive" };

    private readonly WebApplication _app;
    private readonly HttpClient _upstream;
    private readonly Uri _target;
    private readonly TimeProvider _clock;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _restores = new(StringComparer.Ordinal);
    private int _restoreRequests;
    private int _refusedReads;

    private ArchiveClassGateway(WebApplication app, HttpClient upstream, Uri target, TimeProvider clock, TimeSpan restoreDuration)
    {
        _app = app;
        _upstream = upstream;
        _target = target;
        _clock = clock;
        RestoreDuration = restoreDuration;
    }

    public Uri Endpoint { get; private set; } = null!;

    public TimeSpan RestoreDuration { get; }

    public int RestoreRequests => Volatile.Read(ref _restoreRequests);

    /// <summary>GETs refused because the object was archived and not restored.</summary>
    public int RefusedReads => Volatile.Read(ref _refusedReads);

    public static async Task<ArchiveClassGateway> StartAsync(Uri target, TimeProvider clock, TimeSpan restoreDuration, CancellationToken cancellationToken)
    {
        var port = Vna.Testing.FreePorts.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);
        var app = builder.Build();
        var upstream = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, AutomaticDecompression = DecompressionMethods.None }) { Timeout = TimeSpan.FromMinutes(5) };
        var gateway = new ArchiveClassGateway(app, upstream, target, clock, restoreDuration);
        app.Run(gateway.HandleAsync);
        await app.StartAsync(cancellationToken);
        gateway.Endpoint = new Uri($"http://127.0.0.1:{port}/");
        return gateway;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        if (HttpMethods.IsPost(request.Method) && request.Query.ContainsKey("restore"))
        {
            Interlocked.Increment(ref _restoreRequests);
            var already = _restores.ContainsKey(path);
            _restores.TryAdd(path, _clock.GetUtcNow() + RestoreDuration);
            context.Response.StatusCode = already ? 200 : 202;
            return;
        }

        using var upstreamRequest = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(_target, path + request.QueryString.Value));
        if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            upstreamRequest.Content = new StreamContent(request.Body);
        }

        foreach (var (name, values) in request.Headers)
        {
            if (s_hopByHop.Contains(name))
            {
                continue;
            }

            if (!upstreamRequest.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values))
            {
                upstreamRequest.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values);
            }
        }

        upstreamRequest.Headers.Host = request.Host.Value; // what the client signed
        using var response = await _upstream.SendAsync(upstreamRequest, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        var storageClass = response.Headers.TryGetValues("x-amz-storage-class", out var sc) ? sc.FirstOrDefault() : null;
        var archived = storageClass is "GLACIER" or "DEEP_ARCHIVE";
        var restored = _restores.TryGetValue(path, out var readyAt) && _clock.GetUtcNow() >= readyAt;
        if (archived && HttpMethods.IsGet(request.Method) && response.IsSuccessStatusCode && !restored)
        {
            Interlocked.Increment(ref _refusedReads);
            context.Response.StatusCode = 403;
            context.Response.ContentType = "application/xml";
            await context.Response.WriteAsync(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>InvalidObjectState</Code><Message>The operation is not valid for the object's storage class</Message></Error>",
                context.RequestAborted);
            return;
        }

        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!s_hopByHop.Contains(name))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }

        if (archived && _restores.ContainsKey(path))
        {
            context.Response.Headers["x-amz-restore"] = restored
                ? $"ongoing-request=\"false\", expiry-date=\"{(readyAt + TimeSpan.FromDays(2)).ToString("r", System.Globalization.CultureInfo.InvariantCulture)}\""
                : "ongoing-request=\"true\"";
        }

        if (!HttpMethods.IsHead(request.Method))
        {
            await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
    }
}
