using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Vna.Testing;

namespace Vna.Web.Tests;

/// <summary>
/// Bad input to DICOMweb through the running archive: each gets its status (400, 404, 406, 409, 413, 415) with problem
/// details, stores nothing partial (no temporary file, no index row without its file), disturbs none of the study stored
/// before, and the server goes on serving.
/// </summary>
public sealed class BadInputTests(BadInputFixture fixture) : IClassFixture<BadInputFixture>
{
    private const string AnyDicom = "multipart/related; type=\"application/dicom\"; transfer-syntax=*";

    [Theory]
    [InlineData("application/dicom", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("text/plain", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("multipart/related; type=\"text/plain\"; boundary=x", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("multipart/related; type=\"application/dicom\"", HttpStatusCode.BadRequest)]
    [InlineData("multipart/related; type=\"application/dicom\"; boundary=nowhere", HttpStatusCode.BadRequest)]
    public async Task A_store_with_a_wrong_content_type_or_a_malformed_body_is_refused_whole(string contentType, HttpStatusCode expected)
    {
        SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        var fresh = SyntheticCt.CreateStudy(701, 1, 1)[0];
        var bytes = await SyntheticCt.EncodeAsync(fresh, ct);
        using var content = new ByteArrayContent(bytes);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        var answer = await StowClient.SendAsync(fixture.Http, new HttpRequestMessage(HttpMethod.Post, new Uri(fixture.DicomWeb, "studies")) { Content = content }, ct);
        AssertProblem(answer, expected);
        await AssertIntactAsync(fresh.SopInstanceUid, ct);
    }

    [Fact]
    public async Task A_multipart_body_cut_inside_a_part_stores_the_complete_parts_only()
    {
        SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        var study = SyntheticCt.CreateStudy(702, 1, 2);
        var first = await SyntheticCt.EncodeAsync(study[0], ct);
        var second = await SyntheticCt.EncodeAsync(study[1], ct);
        var (body, boundary) = MultipartBody.Build([("application/dicom", first, null), ("application/dicom", second, null)]);
        var cut = body[..(body.Length - (second.Length / 2))]; // inside the second part, no closing boundary
        using var content = MultipartBody.Content(cut, boundary);
        var answer = await StowClient.SendAsync(fixture.Http, new HttpRequestMessage(HttpMethod.Post, new Uri(fixture.DicomWeb, "studies")) { Content = content }, ct);
        AssertProblem(answer, HttpStatusCode.BadRequest);
        var storedBefore = answer.Json.GetProperty("stored").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal([study[0].SopInstanceUid!], storedBefore);
        await AssertIntactAsync(study[1].SopInstanceUid, ct);
        var kept = await StowClient.GetAsync(fixture.Http,
            new Uri(fixture.DicomWeb, $"studies/{study[0].Study.StudyInstanceUid}/series/{study[0].SeriesInstanceUid}/instances/{study[0].SopInstanceUid}"), ct, AnyDicom);
        Assert.Equal(first, Assert.Single(MultipartBody.Parse(kept.Body, kept.ContentType!)).Body);
    }

    [Fact]
    public async Task A_connection_closed_in_the_middle_of_an_upload_stores_nothing_of_that_object()
    {
        SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        var fresh = SyntheticCt.CreateStudy(703, 1, 1)[0];
        var bytes = await SyntheticCt.EncodeAsync(fresh, ct);
        var (body, boundary) = MultipartBody.Build([("application/dicom", bytes, null)]);
        using (var client = new TcpClient())
        {
            await client.ConnectAsync("127.0.0.1", fixture.Server.Settings.HttpPort, ct);
            var stream = client.GetStream();
            var head = $"POST /dicomweb/studies HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/related; type=\"application/dicom\"; boundary={boundary}\r\nContent-Length: {body.Length}\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head), ct);
            await stream.WriteAsync(body.AsMemory(0, body.Length / 2), ct);
            await stream.FlushAsync(ct);
            await Task.Delay(300, ct);
        }

        // The server notices the end of the upload, removes the partial object and keeps serving.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (HotTier.TemporaryFiles(fixture.DataDirectory).Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, ct);
        }

        await AssertIntactAsync(fresh.SopInstanceUid, ct);
    }

    [Fact]
    public async Task Invalid_dicom_json_is_400_and_stores_nothing()
    {
        SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        foreach (var json in new[] { "{ not json", "[{\"00080018\": {\"vr\": \"UI\", \"Value\": [\"1.2.3\"]}, }", "[{\"7FE00010\": {\"vr\": \"OW\", \"BulkDataURI\": \"missing\"}}]" })
        {
            var (body, boundary) = MultipartBody.Build([("application/dicom+json", Encoding.UTF8.GetBytes(json), null)]);
            using var content = MultipartBody.Content(body, boundary, "application/dicom+json");
            var answer = await StowClient.SendAsync(fixture.Http, new HttpRequestMessage(HttpMethod.Post, new Uri(fixture.DicomWeb, "studies")) { Content = content }, ct);
            AssertProblem(answer, HttpStatusCode.BadRequest);
        }

        await AssertIntactAsync(null, ct);
    }

    [Fact]
    public async Task Store_refusals_are_409_and_413_with_the_failed_instances_listed()
    {
        SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;

        // Into another study's URL: the data set does not match (0xA900).
        var fresh = SyntheticCt.CreateStudy(704, 1, 1)[0];
        var otherStudy = SyntheticCt.NewStudy(705).StudyInstanceUid;
        var mismatch = await StowClient.StoreAsync(fixture.Http, fixture.DicomWeb, [await SyntheticCt.EncodeAsync(fresh, ct)], ct, otherStudy);
        Assert.Equal(HttpStatusCode.Conflict, mismatch.Status);
        var failed = Assert.Single(mismatch.Json.GetProperty("00081198").GetProperty("Value").EnumerateArray());
        Assert.Equal(0xA900, failed.GetProperty("00081197").GetProperty("Value")[0].GetInt32());
        Assert.NotEmpty(mismatch.Warnings);
        await AssertIntactAsync(fresh.SopInstanceUid, ct);

        // A different object under a stored SOP Instance UID (duplicate policy reject): 0x0111.
        var good = fixture.Good[0];
        var conflict = await StowClient.StoreAsync(fixture.Http, fixture.DicomWeb, [await SyntheticCt.EncodeAsync(good with { PixelSeed = good.PixelSeed + 1 }, ct)], ct);
        Assert.Equal(HttpStatusCode.Conflict, conflict.Status);
        Assert.Equal(0x0111, conflict.Json.GetProperty("00081198").GetProperty("Value")[0].GetProperty("00081197").GetProperty("Value")[0].GetInt32());

        // Larger than the archive accepts.
        var large = await SyntheticCt.EncodeAsync(fresh with { Rows = 1024, Columns = 1024 }, ct);
        Assert.True(large.Length > BadInputFixture.Limit);
        AssertProblem(await StowClient.StoreAsync(fixture.Http, fixture.DicomWeb, [large], ct), HttpStatusCode.RequestEntityTooLarge);

        // One good and one bad part: 202, the good one stored and listed, the bad one failed.
        var mixed = SyntheticCt.CreateStudy(706, 1, 1)[0];
        var partial = await StowClient.StoreAsync(fixture.Http, fixture.DicomWeb, [await SyntheticCt.EncodeAsync(mixed, ct), "not DICOM at all, just text"u8.ToArray()], ct);
        Assert.Equal(HttpStatusCode.Accepted, partial.Status);
        Assert.Equal(1, partial.Json.GetProperty("00081199").GetProperty("Value").GetArrayLength());
        Assert.Equal(0xC000, partial.Json.GetProperty("00081198").GetProperty("Value")[0].GetProperty("00081197").GetProperty("Value")[0].GetInt32());
        await AssertIntactAsync(fresh.SopInstanceUid, ct);
    }

    [Theory]
    [InlineData("studies/1.2.3.999999", null, HttpStatusCode.NotFound)]
    [InlineData("studies/1.2.3.999999/metadata", null, HttpStatusCode.NotFound)]
    [InlineData("studies/not-a-uid/metadata", null, HttpStatusCode.BadRequest)]
    [InlineData("studies/{study}/series/1.2.3.4/instances/1.2.3.5/frames/1", null, HttpStatusCode.NotFound)]
    [InlineData("studies/{study}/series/{series}/instances/{sop}/frames/2", null, HttpStatusCode.NotFound)]
    [InlineData("studies/{study}/series/{series}/instances/{sop}/frames/0", null, HttpStatusCode.BadRequest)]
    [InlineData("studies/{study}/series/{series}/instances/{sop}/bulkdata/00100010", null, HttpStatusCode.NotFound)]
    [InlineData("studies/{study}", "multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.3.4.5.6", HttpStatusCode.NotAcceptable)]
    [InlineData("studies/{study}", "image/png", HttpStatusCode.NotAcceptable)]
    [InlineData("studies/{study}/metadata", "application/dicom+xml", HttpStatusCode.NotAcceptable)]
    [InlineData("studies?NoSuchKeyword=1", null, HttpStatusCode.BadRequest)]
    [InlineData("studies?limit=-1", null, HttpStatusCode.BadRequest)]
    [InlineData("studies?limit=ten", null, HttpStatusCode.BadRequest)]
    [InlineData("studies?offset=x", null, HttpStatusCode.BadRequest)]
    [InlineData("studies?StudyDate=2020-01-01-2021", null, HttpStatusCode.BadRequest)]
    [InlineData("studies?fuzzymatching=perhaps", null, HttpStatusCode.BadRequest)]
    public async Task Bad_retrievals_and_searches_are_problems(string path, string? accept, HttpStatusCode expected)
    {
        SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        var good = fixture.Good[0];
        var url = path.Replace("{study}", good.Study.StudyInstanceUid, StringComparison.Ordinal)
            .Replace("{series}", good.SeriesInstanceUid, StringComparison.Ordinal)
            .Replace("{sop}", good.SopInstanceUid, StringComparison.Ordinal);
        var answer = await StowClient.GetAsync(fixture.Http, new Uri(fixture.DicomWeb, url), ct, accept);
        AssertProblem(answer, expected);
        await AssertIntactAsync(null, ct);
    }

    [Fact]
    public async Task A_huge_limit_is_reduced_with_a_warning()
    {
        SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        var answer = await StowClient.GetAsync(fixture.Http, new Uri(fixture.DicomWeb, "studies?limit=99999999999999999999&PatientID=SYN000700"), ct);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(1, answer.Json.GetArrayLength());
        Assert.Contains(answer.Warnings, w => w.StartsWith("299 ", StringComparison.Ordinal) && w.Contains("limit", StringComparison.Ordinal));
    }

    private static void AssertProblem(StowClient.Answer answer, HttpStatusCode expected)
    {
        Assert.True(answer.Status == expected, $"expected {(int)expected}, got {answer}");
        Assert.Equal("application/problem+json", answer.MediaType);
        var problem = answer.Json;
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
    }

    /// <summary>Nothing partial on the hot tier, every index row has its file, the refused instance is absent, and the good study comes back byte for byte.</summary>
    private async Task AssertIntactAsync(string? refusedSopInstanceUid, CancellationToken ct)
    {
        Assert.Empty(HotTier.TemporaryFiles(fixture.DataDirectory));
        if (refusedSopInstanceUid is not null)
        {
            Assert.Equal(0L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM instance WHERE sop_instance_uid = $1", ct, refusedSopInstanceUid));
        }

        Assert.Equal(await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM instance", ct), HotTier.CommittedFiles(fixture.DataDirectory).Count);
        var study = fixture.Good[0].Study.StudyInstanceUid;
        var whole = await StowClient.GetAsync(fixture.Http, new Uri(fixture.DicomWeb, $"studies/{study}"), ct, AnyDicom);
        Assert.Equal(HttpStatusCode.OK, whole.Status);
        var parts = MultipartBody.Parse(whole.Body, whole.ContentType!);
        Assert.Equal(fixture.GoodBytes.Count, parts.Count);
        foreach (var part in parts)
        {
            Assert.Equal(fixture.GoodBytes[part.Headers["content-location"].Split('/')[^1]], part.Body);
        }
    }

    private void SkipIfUnavailable()
    {
        if (fixture.Unavailable is not null)
        {
            Assert.Skip(fixture.Unavailable);
        }
    }

}
