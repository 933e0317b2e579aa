using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Vna.Web.Http;

/// <summary>
/// Writes a multipart/related response body (RFC 2387) part by part straight into the response pipe: each part's bytes are
/// read from their source into the pipe's own buffers, so a response of any size takes a few buffers of memory.
/// </summary>
internal sealed class MultipartResponseWriter
{
    private const int ChunkSize = 256 * 1024;

    private readonly PipeWriter _writer;
    private readonly string _boundary;
    private bool _started;

    private MultipartResponseWriter(PipeWriter writer, string boundary)
    {
        _writer = writer;
        _boundary = boundary;
    }

    /// <summary>Sets the response's Content-Type (multipart/related; type=…; boundary=…) and returns a writer for its parts.</summary>
    public static MultipartResponseWriter Start(HttpResponse response, string partType, string? transferSyntax = null)
    {
        var boundary = "vna-" + Guid.NewGuid().ToString("N");
        var contentType = new StringBuilder("multipart/related; type=\"").Append(partType).Append('"');
        if (transferSyntax is not null)
        {
            contentType.Append("; transfer-syntax=").Append(transferSyntax);
        }

        response.ContentType = contentType.Append("; boundary=").Append(boundary).ToString();
        return new MultipartResponseWriter(response.BodyWriter, boundary);
    }

    /// <summary>Writes one part whose content is read from <paramref name="content"/> until its end, or <paramref name="length"/> bytes.</summary>
    public async Task WritePartAsync(string contentType, string? contentLocation, Stream content, long? length, CancellationToken cancellationToken)
    {
        WriteHeader(contentType, contentLocation, length);
        var remaining = length ?? long.MaxValue;
        while (remaining > 0)
        {
            var memory = _writer.GetMemory(ChunkSize);
            var want = (int)Math.Min(memory.Length, remaining);
            var read = await content.ReadAsync(memory[..want], cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                if (length is not null)
                {
                    throw new EndOfStreamException($"The part's source ended {remaining} bytes early.");
                }

                break;
            }

            _writer.Advance(read);
            remaining -= read;
            var flushed = await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (flushed.IsCanceled || flushed.IsCompleted)
            {
                throw new OperationCanceledException("The client went away.");
            }
        }
    }

    /// <summary>Writes one part held in memory.</summary>
    public async Task WritePartAsync(string contentType, string? contentLocation, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        WriteHeader(contentType, contentLocation, content.Length);
        _writer.Write(content.Span);
        await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes the closing delimiter.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        var text = (_started ? "\r\n" : string.Empty) + "--" + _boundary + "--\r\n";
        _writer.Write(Encoding.ASCII.GetBytes(text));
        await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private void WriteHeader(string contentType, string? contentLocation, long? length)
    {
        var header = new StringBuilder(160);
        if (_started)
        {
            header.Append("\r\n");
        }

        _started = true;
        header.Append("--").Append(_boundary).Append("\r\nContent-Type: ").Append(contentType).Append("\r\n");
        if (contentLocation is not null)
        {
            header.Append("Content-Location: ").Append(contentLocation).Append("\r\n");
        }

        if (length is not null)
        {
            header.Append("Content-Length: ").Append(length.Value.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        }

        header.Append("\r\n");
        _writer.Write(Encoding.ASCII.GetBytes(header.ToString()));
    }
}
