using System.Net.Http.Headers;
using System.Text;

namespace Vna.Integration.Tests;

/// <summary>A STOW-RS request body: <c>multipart/related; type="application/dicom"</c> with one part per object.</summary>
internal static class MultipartDicom
{
    public static ByteArrayContent Create(params byte[][] objects)
    {
        const string boundary = "vna-integration-test";
        using var body = new MemoryStream();
        foreach (var item in objects)
        {
            body.Write(Encoding.ASCII.GetBytes($"--{boundary}\r\nContent-Type: application/dicom\r\n\r\n"));
            body.Write(item);
            body.Write("\r\n"u8);
        }

        body.Write(Encoding.ASCII.GetBytes($"--{boundary}--\r\n"));
        var content = new ByteArrayContent(body.ToArray());
        content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/related; type=\"application/dicom\"; boundary={boundary}");
        return content;
    }
}
