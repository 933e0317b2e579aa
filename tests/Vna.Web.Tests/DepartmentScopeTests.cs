using System.Net;
using System.Net.Http.Headers;
using Vna.Testing;

namespace Vna.Web.Tests;

/// <summary>
/// A reader scoped to one department, on a study two departments sent to: QIDO-RS at study level finds the study, but at
/// series and instance level (every form: study-scoped, series-scoped, all-series, all-instances) only what its department
/// sent; WADO-RS and WADO-URI serve exactly that and refuse the rest (403). A study entirely outside the scope is found at
/// no level and retrieved by no path.
/// </summary>
public sealed class DepartmentScopeTests(TokenFixture fixture) : IClassFixture<TokenFixture>
{
    private const string AnyDicom = "multipart/related; type=\"application/dicom\"; transfer-syntax=*";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Series_and_instance_searches_and_retrieval_agree_on_what_a_scoped_reader_may_see()
    {
        if (fixture.Unavailable is not null)
        {
            Assert.Skip(fixture.Unavailable);
        }

        var mixed = SyntheticCt.CreateStudy(620, 2, 2);
        var cardioSeries = mixed.Where(i => i.SeriesInstanceUid == mixed[0].SeriesInstanceUid).ToArray();
        var radioSeries = mixed.Except(cardioSeries).ToArray();
        var radioOnly = SyntheticCt.CreateStudy(621, 1, 1);
        Assert.Equal(HttpStatusCode.OK, (await StoreAsync(cardioSeries, Token("writer", "cardio"))).Status);
        Assert.Equal(HttpStatusCode.OK, (await StoreAsync(radioSeries, Token("writer", "radio"))).Status);
        Assert.Equal(HttpStatusCode.OK, (await StoreAsync(radioOnly, Token("writer", "radio"))).Status);
        var study = mixed[0].Study.StudyInstanceUid;
        var other = radioOnly[0].Study.StudyInstanceUid;
        var radioSeriesUid = radioSeries[0].SeriesInstanceUid;
        var radioInstance = radioSeries[0];
        var cardio = Token("reader", "cardio");

        // QIDO-RS: the study is found (cardio sent part of it), but only cardio's series and instances, in every form.
        Assert.Equal([study], Uids(await GetAsync($"studies?PatientID=SYN00062*", cardio), "0020000D"));
        Assert.Equal([cardioSeries[0].SeriesInstanceUid!], Uids(await GetAsync($"studies/{study}/series", cardio), "0020000E"));
        Assert.Equal([cardioSeries[0].SeriesInstanceUid!], Uids(await GetAsync($"series?StudyInstanceUID={study}", cardio), "0020000E"));
        var cardioSops = cardioSeries.Select(i => i.SopInstanceUid!).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(cardioSops, Uids(await GetAsync($"studies/{study}/instances", cardio), "00080018"));
        Assert.Equal(cardioSops, Uids(await GetAsync($"instances?StudyInstanceUID={study}", cardio), "00080018"));
        Assert.Empty(Uids(await GetAsync($"studies/{study}/series/{radioSeriesUid}/instances", cardio), "00080018"));
        Assert.Empty(Uids(await GetAsync($"instances?SOPInstanceUID={radioInstance.SopInstanceUid}", cardio), "00080018"));

        // The study outside the scope: found at no level.
        Assert.Empty(Uids(await GetAsync($"studies?StudyInstanceUID={other}", cardio), "0020000D"));
        Assert.Empty(Uids(await GetAsync($"studies/{other}/series", cardio), "0020000E"));
        Assert.Empty(Uids(await GetAsync($"instances?StudyInstanceUID={other}", cardio), "00080018"));

        // WADO-RS: the study gives cardio's instances only, its metadata likewise; radio's series and instances are refused.
        var retrieved = await GetAsync($"studies/{study}", cardio, AnyDicom);
        Assert.Equal(HttpStatusCode.OK, retrieved.Status);
        Assert.Equal(cardioSeries.Length, MultipartBody.Parse(retrieved.Body, retrieved.ContentType!).Count);
        Assert.Equal(cardioSops, Uids(await GetAsync($"studies/{study}/metadata", cardio), "00080018"));
        var radioPath = $"studies/{study}/series/{radioSeriesUid}";
        foreach (var path in new[]
        {
            radioPath, radioPath + "/metadata", $"{radioPath}/instances/{radioInstance.SopInstanceUid}",
            $"{radioPath}/instances/{radioInstance.SopInstanceUid}/frames/1", $"{radioPath}/instances/{radioInstance.SopInstanceUid}/rendered",
            $"studies/{other}", $"studies/{other}/metadata",
            $"wado?requestType=WADO&studyUID={study}&seriesUID={radioSeriesUid}&objectUID={radioInstance.SopInstanceUid}&contentType=application%2Fdicom",
        })
        {
            var refused = await GetAsync(path, cardio, path.EndsWith("/frames/1", StringComparison.Ordinal) ? "multipart/related; type=\"application/octet-stream\"" : null);
            Assert.True(refused.Status == HttpStatusCode.Forbidden, $"{path}: {refused}");
            Assert.Equal("application/problem+json", refused.MediaType);
        }

        // Unscoped roles see both departments' series.
        Assert.Equal(2, Uids(await GetAsync($"studies/{study}/series", Token("admin")), "0020000E").Length);
    }

    private static string Token(string role, params string[] departments) => TokenFixture.Token([role], departments);

    private static string[] Uids(StowClient.Answer answer, string tag)
    {
        Assert.True(answer.Status is HttpStatusCode.OK or HttpStatusCode.NoContent, answer.ToString());
        return answer.Body.Length == 0
            ? []
            : answer.Json.EnumerateArray().Select(m => m.GetProperty(tag).GetProperty("Value")[0].GetString()!).Order(StringComparer.Ordinal).ToArray();
    }

    private async Task<StowClient.Answer> StoreAsync(IReadOnlyList<SyntheticInstance> instances, string token)
    {
        var bodies = new List<byte[]>();
        foreach (var instance in instances)
        {
            bodies.Add(await SyntheticCt.EncodeAsync(instance, Ct));
        }

        var (body, boundary) = MultipartBody.Build(bodies.Select(b => ("application/dicom", b, (string?)null)));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(fixture.DicomWeb, "studies")) { Content = MultipartBody.Content(body, boundary) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await StowClient.SendAsync(fixture.Http, request, Ct);
    }

    private async Task<StowClient.Answer> GetAsync(string path, string token, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(fixture.DicomWeb, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        return await StowClient.SendAsync(fixture.Http, request, Ct);
    }
}
