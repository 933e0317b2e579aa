using System.Net;
using System.Net.Http.Headers;

namespace Vna.Testing;

/// <summary>
/// A POST /api/instances whose body stops part-way: it announces the whole length, sends the first bytes, then waits until
/// disposed. The server is left receiving the object into a temporary file, which is what a crash at that moment leaves
/// behind. Dispose it after the server died (or to abandon the upload); <see cref="Completion"/> then holds what came back
/// (normally no answer).
/// </summary>
public sealed class StalledUpload : IAsyncDisposable
{
    private readonly CancellationTokenSource _stall = new();
    private readonly TaskCompletionSource _sent = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private StalledUpload()
    {
    }

    /// <summary>The answer (or the transport error) once the upload ended.</summary>
    public Task<PostResult> Completion { get; private set; } = null!;

    /// <summary>Starts the upload; returns once the first <paramref name="sendBytes"/> bytes are written and flushed.</summary>
    public static async Task<StalledUpload> StartAsync(HttpClient client, Uri server, byte[] body, int sendBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(sendBytes, body.Length);
        var upload = new StalledUpload();
        upload.Completion = upload.SendAsync(client, server, body, sendBytes, cancellationToken);
        await Task.WhenAny(upload._sent.Task, upload.Completion).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (upload.Completion.IsCompleted)
        {
            throw new InvalidOperationException($"The stalled upload ended before its first bytes were sent: {await upload.Completion.ConfigureAwait(false)}");
        }

        return upload;
    }

    public async ValueTask DisposeAsync()
    {
        await _stall.CancelAsync().ConfigureAwait(false);
        try
        {
            await Completion.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Abandoned.
        }

        _stall.Dispose();
    }

    private async Task<PostResult> SendAsync(HttpClient client, Uri server, byte[] body, int sendBytes, CancellationToken cancellationToken)
    {
        using var content = new StallingContent(body, sendBytes, _sent, _stall.Token);
        content.Headers.ContentType = new MediaTypeHeaderValue(ArchiveHttp.DicomMediaType);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, "api/instances")) { Content = content };
        try
        {
            using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return new PostResult { StatusCode = response.StatusCode, Body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false) };
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new PostResult { StatusCode = 0, Error = ex };
        }
    }

    private sealed class StallingContent(byte[] body, int sendBytes, TaskCompletionSource sent, CancellationToken stall) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            await stream.WriteAsync(body.AsMemory(0, sendBytes), cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            sent.TrySetResult();
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stall, cancellationToken);
            await Task.Delay(Timeout.Infinite, linked.Token).ConfigureAwait(false);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = body.Length;
            return true;
        }
    }
}
