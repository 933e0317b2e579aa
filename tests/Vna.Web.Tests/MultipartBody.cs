using System.Net.Http.Headers;
using System.Text;

namespace Vna.Web.Tests;

/// <summary>Builds multipart/related request bodies and splits multipart/related responses (RFC 2046), for the tests.</summary>
public static class MultipartBody
{
    public sealed record Part(IReadOnlyDictionary<string, string> Headers, byte[] Body)
    {
        public string? ContentType => Headers.TryGetValue("content-type", out var value) ? value : null;
    }

    /// <summary>A multipart/related body with one part per item (Content-Type and optional Content-Location each).</summary>
    public static (byte[] Body, string Boundary) Build(IEnumerable<(string ContentType, byte[] Body, string? Location)> parts)
    {
        var boundary = "test-" + Guid.NewGuid().ToString("N");
        using var stream = new MemoryStream();
        foreach (var (contentType, body, location) in parts)
        {
            var header = $"--{boundary}\r\nContent-Type: {contentType}\r\n" + (location is null ? string.Empty : $"Content-Location: {location}\r\n") + "\r\n";
            stream.Write(Encoding.ASCII.GetBytes(header));
            stream.Write(body);
            stream.Write("\r\n"u8);
        }

        stream.Write(Encoding.ASCII.GetBytes($"--{boundary}--\r\n"));
        return (stream.ToArray(), boundary);
    }

    public static ByteArrayContent Content(byte[] body, string boundary, string type = "application/dicom")
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/related; type=\"{type}\"; boundary={boundary}");
        return content;
    }

    /// <summary>The parts of a multipart response body.</summary>
    public static IReadOnlyList<Part> Parse(byte[] body, string contentType)
    {
        var boundary = MediaTypeHeaderValue.Parse(contentType).Parameters.First(p => p.Name.Equals("boundary", StringComparison.OrdinalIgnoreCase)).Value!.Trim('"');
        var delimiter = Encoding.ASCII.GetBytes("--" + boundary);
        var parts = new List<Part>();
        var span = body.AsSpan();
        var at = span.IndexOf(delimiter);
        if (at < 0)
        {
            throw new InvalidDataException("No boundary in the body.");
        }

        var position = at + delimiter.Length;
        while (true)
        {
            if (span[position..].StartsWith("--"u8))
            {
                return parts;
            }

            position += 2; // CRLF after the delimiter
            var headerEnd = span[position..].IndexOf("\r\n\r\n"u8);
            var headers = Encoding.ASCII.GetString(span.Slice(position, headerEnd))
                .Split("\r\n", StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split(':', 2))
                .ToDictionary(kv => kv[0].Trim().ToLowerInvariant(), kv => kv[1].Trim());
            var start = position + headerEnd + 4;
            var next = span[start..].IndexOf(delimiter);
            if (next < 0)
            {
                throw new InvalidDataException("The body ends inside a part.");
            }

            var end = start + next - 2; // the CRLF before the delimiter
            parts.Add(new Part(headers, span[start..end].ToArray()));
            position = start + next + delimiter.Length;
        }
    }
}
