using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Vna.Dicom;
using Vna.Testing;

namespace Vna.Web.Tests;

/// <summary>
/// A 2 GB object through STOW-RS and back through WADO-RS on the running archive: stored whole (the index's SHA-256 is the
/// sent object's), retrieved whole (the same SHA-256), a frame from its far end is the frame sent, and the server's peak
/// memory stays far below the object's size (the upload and the answer are streamed).
/// </summary>
public sealed class LargeUploadTests(WebServerFixture fixture) : IClassFixture<WebServerFixture>
{
    /// <summary>Peak resident memory the server may reach while moving a 2 GB object; it holds well under this when streaming.</summary>
    private const long MemoryBound = 768L * 1024 * 1024;

    [Fact]
    public async Task A_2_GB_upload_is_stored_and_retrieved_with_bounded_memory()
    {
        if (fixture.Unavailable is not null)
        {
            Assert.Skip(fixture.Unavailable);
        }

        var ct = TestContext.Current.CancellationToken;
        var free = new DriveInfo(fixture.DataDirectory).AvailableFreeSpace;
        if (free < 6L * 1024 * 1024 * 1024)
        {
            Assert.Skip($"Only {free / (1024 * 1024)} MiB free where the hot tier is; the 2 GB upload needs 6 GiB.");
        }

        var study = DicomUid.Generate();
        var series = DicomUid.Generate();
        var sop = DicomUid.Generate();
        using var upload = new GeneratedUpload(1908, study, series, sop); // 1024 × 1024 × 1908 bytes: 2.0 GB of pixels
        Assert.True(upload.ObjectLength > 2_000_000_000L);
        using (var request = new HttpRequestMessage(HttpMethod.Post, new Uri(fixture.DicomWeb, "studies")) { Content = upload })
        {
            using var response = await fixture.Http.SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}\n{fixture.Server.LogTail(20)}");
        }

        Assert.Equal(upload.Sha256, await fixture.Database.ScalarAsync<string>("SELECT sha256 FROM instance WHERE sop_instance_uid = $1", ct, sop));
        Assert.Equal(upload.ObjectLength, await fixture.Database.ScalarAsync<long>("SELECT size FROM instance WHERE sop_instance_uid = $1", ct, sop));
        var afterStore = PeakMemory(fixture.Server.Pid);
        Assert.True(afterStore < MemoryBound, $"the server's peak resident memory reached {afterStore / (1024 * 1024)} MiB storing a 2 GB object");

        // The whole object back, hashed as it streams in.
        var instanceUrl = new Uri(fixture.DicomWeb, $"studies/{study}/series/{series}/instances/{sop}");
        using (var request = new HttpRequestMessage(HttpMethod.Get, instanceUrl))
        {
            request.Headers.TryAddWithoutValidation("Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*");
            using var response = await fixture.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await using var body = await response.Content.ReadAsStreamAsync(ct);
            Assert.Equal(upload.Sha256, await HashFirstPartAsync(body, upload.ObjectLength, ct));
        }

        // The last frame, read from the far end of the stored file.
        var frame = await StowClient.GetAsync(fixture.Http, new Uri(instanceUrl + $"/frames/{upload.Frames}"), ct);
        Assert.True(frame.Status == HttpStatusCode.OK, frame.ToString());
        var bytes = Assert.Single(MultipartBody.Parse(frame.Body, frame.ContentType!)).Body;
        var start = (long)(upload.Frames - 1) * 1024 * 1024;
        Assert.Equal(1024 * 1024, bytes.Length);
        Assert.True(Enumerable.Range(0, bytes.Length).All(i => bytes[i] == GeneratedUpload.PixelAt(start + i)), "the last frame differs from the one sent");

        var afterRetrieve = PeakMemory(fixture.Server.Pid);
        Assert.True(afterRetrieve < MemoryBound, $"the server's peak resident memory reached {afterRetrieve / (1024 * 1024)} MiB serving a 2 GB object");
        TestContext.Current.TestOutputHelper?.WriteLine($"2 GB upload: server peak RSS {afterRetrieve / (1024 * 1024)} MiB");
    }

    /// <summary>Skips the part headers of a multipart body and hashes the first part's <paramref name="length"/> bytes.</summary>
    private static async Task<string> HashFirstPartAsync(Stream body, long length, CancellationToken ct)
    {
        var header = new List<byte>();
        var one = new byte[1];
        while (header.Count < 4 || !(header[^4] == '\r' && header[^3] == '\n' && header[^2] == '\r' && header[^1] == '\n'))
        {
            await body.ReadExactlyAsync(one, ct);
            header.Add(one[0]);
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        var remaining = length;
        while (remaining > 0)
        {
            var read = await body.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), ct);
            Assert.True(read > 0, $"the body ended {remaining} bytes early");
            hash.AppendData(buffer, 0, read);
            remaining -= read;
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>VmHWM (peak resident set) of a process, in bytes.</summary>
    private static long PeakMemory(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }
}
