using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Vna.Cli.Tests;

/// <summary>
/// A stand-in for the archive, speaking just enough HTTP/1.1 on a loopback port for the test to choose the answers:
/// GET /health is 200; each POST /api/instances gets the next scripted answer (a status with a problem body, or 0: the
/// connection is reset without an answer). It records what each POST looked like: the Content-Length announced, whether
/// the body came chunked, and the bytes received.
/// </summary>
public sealed class StubArchive : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentQueue<int> _answers;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    /// <param name="answers">The HTTP status of each POST in order (200 when they run out); 0 resets the connection instead.</param>
    public StubArchive(params int[] answers)
    {
        _answers = new ConcurrentQueue<int>(answers);
        _listener.Start();
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _loop = Task.Run(AcceptAsync);
    }

    public Uri Url { get; }

    /// <summary>Per POST: the Content-Length announced (-1 when none), whether the body came chunked, the bytes received.</summary>
    public ConcurrentQueue<(long ContentLength, bool Chunked, long Received)> Posts { get; } = new();

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends with the listener.
        }

        _listener.Dispose();
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using (socket)
        {
            var stream = new NetworkStream(socket, ownsSocket: false);
            await using (stream)
            {
                try
                {
                    while (await ReadHeadAsync(stream) is { } head)
                    {
                        var (requestLine, headers, leftover) = head;
                        if (requestLine.StartsWith("GET /health ", StringComparison.Ordinal))
                        {
                            await RespondAsync(stream, 200, "text/plain", "ok");
                            continue;
                        }

                        var chunked = headers.TryGetValue("transfer-encoding", out var te) && te.Contains("chunked", StringComparison.OrdinalIgnoreCase);
                        var length = headers.TryGetValue("content-length", out var cl) ? long.Parse(cl, CultureInfo.InvariantCulture) : -1;
                        var received = chunked ? leftover.Length : await DrainAsync(stream, length, leftover.Length);
                        Posts.Enqueue((length, chunked, received));
                        var status = chunked ? 411 : _answers.TryDequeue(out var next) ? next : 200;
                        if (status == 0)
                        {
                            socket.LingerState = new LingerOption(true, 0); // close with RST: no answer at all
                            return;
                        }

                        var body = status == 200
                            ? """{"status":"Stored","sha256":"00","warnings":[]}"""
                            : $$"""{"title":"The object was not stored","status":{{status}},"detail":"scripted answer {{status}}","failure":"OutOfResources"}""";
                        await RespondAsync(stream, status, status == 200 ? "application/json" : "application/problem+json", body);
                        if (chunked)
                        {
                            return;
                        }
                    }
                }
                catch (IOException)
                {
                    // The client went away.
                }
            }
        }
    }

    /// <summary>The request line, the headers (lower-case names) and whatever of the body came with them; null at end of stream.</summary>
    private static async Task<(string RequestLine, Dictionary<string, string> Headers, byte[] Leftover)?> ReadHeadAsync(NetworkStream stream)
    {
        var buffer = new List<byte>();
        var one = new byte[4096];
        while (true)
        {
            var end = IndexOfHeadEnd(buffer);
            if (end >= 0)
            {
                var text = Encoding.ASCII.GetString(buffer.GetRange(0, end).ToArray());
                var lines = text.Split("\r\n");
                var headers = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var line in lines.Skip(1))
                {
                    var colon = line.IndexOf(':', StringComparison.Ordinal);
                    if (colon > 0)
                    {
                        headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
                    }
                }

                return (lines[0], headers, buffer.GetRange(end + 4, buffer.Count - end - 4).ToArray());
            }

            var read = await stream.ReadAsync(one);
            if (read == 0)
            {
                return null;
            }

            buffer.AddRange(one.AsSpan(0, read));
        }
    }

    private static int IndexOfHeadEnd(List<byte> buffer)
    {
        for (var i = 0; i + 3 < buffer.Count; i++)
        {
            if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n')
            {
                return i;
            }
        }

        return -1;
    }

    private static async Task<long> DrainAsync(NetworkStream stream, long length, long already)
    {
        var received = already;
        var buffer = new byte[64 * 1024];
        while (received < length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length - received)));
            if (read == 0)
            {
                break;
            }

            received += read;
        }

        return received;
    }

    private static async Task RespondAsync(NetworkStream stream, int status, string contentType, string text)
    {
        var body = Encoding.UTF8.GetBytes(text);
        var head = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {status} Scripted\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\n\r\n");
        await stream.WriteAsync(head);
        await stream.WriteAsync(body);
        await stream.FlushAsync();
    }
}
