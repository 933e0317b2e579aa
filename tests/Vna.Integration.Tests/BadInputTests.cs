using System.Net;
using System.Text;
using Vna.Testing;

namespace Vna.Integration.Tests;

/// <summary>
/// Bad input through the real server: each kind of bad object gets its HTTP status with problem details naming the store
/// failure, leaves nothing behind (no index row, no file, no temporary file), disturbs none of the instances already stored,
/// and the server goes on storing.
/// </summary>
public sealed class BadInputTests(BadInputFixture fixture) : IClassFixture<BadInputFixture>
{
    [Theory]
    [InlineData("not DICOM at all", HttpStatusCode.BadRequest, "CannotUnderstand")]
    [InlineData("an empty body", HttpStatusCode.BadRequest, "CannotUnderstand")]
    [InlineData("a truncated file", HttpStatusCode.BadRequest, "CannotUnderstand")]
    [InlineData("a SOP Instance UID with a leading zero component", HttpStatusCode.BadRequest, "InvalidUid")]
    [InlineData("no SOP Instance UID", HttpStatusCode.BadRequest, "InvalidUid")]
    [InlineData("no Study Instance UID", HttpStatusCode.BadRequest, "InvalidUid")]
    [InlineData("a Study Instance UID with letters", HttpStatusCode.BadRequest, "InvalidUid")]
    [InlineData("a duplicate with different content", HttpStatusCode.Conflict, "Conflict")]
    [InlineData("an object over the size limit", HttpStatusCode.RequestEntityTooLarge, "OutOfResources")]
    [InlineData("an unknown department", HttpStatusCode.Forbidden, "NotAuthorized")]
    [InlineData("Content-Type text/plain", HttpStatusCode.UnsupportedMediaType, null)]
    [InlineData("no Content-Type", HttpStatusCode.UnsupportedMediaType, null)]
    public async Task Bad_input_gets_its_status_and_disturbs_nothing(string input, HttpStatusCode expected, string? failure)
    {
        if (fixture.Unavailable is not null)
        {
            Assert.Skip(fixture.Unavailable);
        }

        var ct = TestContext.Current.CancellationToken;
        var (body, contentType, department, sopInstanceUid) = await BuildAsync(input, ct);

        var result = await ArchiveHttp.PostAsync(fixture.Http, fixture.Server.BaseAddress, body, ct, contentType, department);

        Assert.True(result.StatusCode == expected, $"{input}: expected {(int)expected}, got {result}\n{fixture.Server.LogTail(10)}");
        Assert.Equal("application/problem+json", result.MediaType);
        Assert.Equal((int)expected, result.ProblemStatus);
        Assert.False(string.IsNullOrWhiteSpace(result.Title), "problem details without a title");
        Assert.False(string.IsNullOrWhiteSpace(result.Detail), "problem details without a detail");
        Assert.Equal(failure, result.Failure);

        await AssertNothingDisturbedAsync(sopInstanceUid, ct);
    }

    [Fact]
    public async Task An_identical_copy_is_a_duplicate_and_changes_nothing()
    {
        if (fixture.Unavailable is not null)
        {
            Assert.Skip(fixture.Unavailable);
        }

        var ct = TestContext.Current.CancellationToken;
        var original = fixture.Good[1];
        var bytes = await SyntheticCt.EncodeAsync(original, ct);

        var result = await ArchiveHttp.PostAsync(fixture.Http, fixture.Server.BaseAddress, bytes, ct);

        Assert.Equal(HttpStatusCode.OK, result.StatusCode);
        Assert.Equal("Duplicate", result.Status);
        Assert.Equal(fixture.GoodSha256[original.SopInstanceUid!], result.Sha256);
        await AssertNothingDisturbedAsync(null, ct);
    }

    private async Task<(byte[] Body, string? ContentType, string? Department, string? SopInstanceUid)> BuildAsync(string input, CancellationToken ct)
    {
        const string dicom = ArchiveHttp.DicomMediaType;
        var fresh = SyntheticCt.CreateStudy(901, 1, 1)[0];
        switch (input)
        {
            case "not DICOM at all":
                return (Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("This is not a DICOM file.\n", 400))), dicom, null, null);
            case "an empty body":
                return ([], dicom, null, null);
            case "a truncated file":
                var whole = await SyntheticCt.EncodeAsync(fresh, ct);
                return (whole[..(whole.Length * 6 / 10)], dicom, null, fresh.SopInstanceUid);
            case "a SOP Instance UID with a leading zero component":
                return (await SyntheticCt.EncodeAsync(fresh with { SopInstanceUid = "1.2.826.0.1.3680043.10.0543.07" }, ct), dicom, null, null);
            case "no SOP Instance UID":
                return (await SyntheticCt.EncodeAsync(fresh with { SopInstanceUid = null }, ct), dicom, null, null);
            case "no Study Instance UID":
                return (await SyntheticCt.EncodeAsync(fresh with { OmitStudyInstanceUid = true }, ct), dicom, null, fresh.SopInstanceUid);
            case "a Study Instance UID with letters":
                return (await SyntheticCt.EncodeAsync(fresh with { StudyInstanceUid = "1.2.826.0.1.abc.5" }, ct), dicom, null, fresh.SopInstanceUid);
            case "a duplicate with different content":
                var first = fixture.Good[0];
                return (await SyntheticCt.EncodeAsync(first with { PixelSeed = first.PixelSeed + 1 }, ct), dicom, null, null);
            case "an object over the size limit":
                var large = await SyntheticCt.EncodeAsync(fresh with { Rows = 1024, Columns = 1024 }, ct);
                Assert.True(large.Length > BadInputFixture.MaxObjectSize);
                return (large, dicom, null, fresh.SopInstanceUid);
            case "an unknown department":
                return (await SyntheticCt.EncodeAsync(fresh, ct), dicom, "no-such-department", fresh.SopInstanceUid);
            case "Content-Type text/plain":
                return (await SyntheticCt.EncodeAsync(fresh, ct), "text/plain", null, fresh.SopInstanceUid);
            case "no Content-Type":
                return (await SyntheticCt.EncodeAsync(fresh, ct), null, null, fresh.SopInstanceUid);
            default:
                throw new ArgumentOutOfRangeException(nameof(input), input, "unknown kind of bad input");
        }
    }

    /// <summary>
    /// The refused object left no trace (no index row for its UID, no temporary file, no extra committed file); every
    /// instance stored so far is still indexed with its checksum and whole on disk; and the server still stores: a fresh
    /// instance is accepted (and joins the ones checked from then on).
    /// </summary>
    private async Task AssertNothingDisturbedAsync(string? refusedSopInstanceUid, CancellationToken ct)
    {
        if (refusedSopInstanceUid is not null)
        {
            Assert.Equal(0L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM instance WHERE sop_instance_uid = $1", ct, refusedSopInstanceUid));
        }

        Assert.Empty(HotTier.TemporaryFiles(fixture.DataDirectory));
        Assert.Equal(fixture.GoodSha256.Count, HotTier.CommittedFiles(fixture.DataDirectory).Count);
        Assert.Equal(fixture.GoodSha256.Count, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM instance", ct));
        var problems = await Verification.CheckAcknowledgedAsync(
            fixture.Http, [fixture.Server.BaseAddress], fixture.DataDirectory, fixture.GoodSha256, fixture.GoodSha256, ct);
        Assert.True(problems.Count == 0, Verification.Describe(problems));
        Assert.True(await ArchiveHttp.IsHealthyAsync(fixture.Http, fixture.Server.BaseAddress, ct));

        var next = SyntheticCt.CreateStudy(902, 1, 1)[0];
        var bytes = await SyntheticCt.EncodeAsync(next, ct);
        var stored = await ArchiveHttp.PostAsync(fixture.Http, fixture.Server.BaseAddress, bytes, ct);
        Assert.True(stored.Acknowledged && stored.Status == "Stored", $"The server no longer stores: {stored}");
        fixture.GoodSha256[next.SopInstanceUid!] = stored.Sha256!;
    }
}
