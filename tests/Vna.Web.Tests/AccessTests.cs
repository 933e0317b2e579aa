using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Vna.Testing;

namespace Vna.Web.Tests;

/// <summary>
/// Bearer tokens against the running archive: 401 without a valid token (missing, wrongly signed, expired, wrong issuer),
/// 403 for a role or department the token lacks, and department scopes that decide what a reader finds and retrieves.
/// </summary>
public sealed class AccessTests(TokenFixture fixture) : IClassFixture<TokenFixture>
{
    [Fact]
    public async Task Requests_without_a_valid_token_are_401_problems()
    {
        SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        var reader = new[] { "reader" };
        var cases = new (string What, string? Token)[]
        {
            ("no token", null),
            ("wrong key", TokenFixture.Token(reader, ["cardio"], key: "another-signing-key-0123456789abcdef-0123456789")),
            ("expired", TokenFixture.Token(reader, ["cardio"], lifetime: TimeSpan.FromMinutes(-10))),
            ("wrong issuer", TokenFixture.Token(reader, ["cardio"], issuer: "https://elsewhere.test")),
            ("not a JWT", "not-a-token"),
        };
        foreach (var (what, token) in cases)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(fixture.DicomWeb, "studies"));
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            using var response = await fixture.Http.SendAsync(request, ct);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{what}: {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
            var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement;
            Assert.Equal(401, problem.GetProperty("status").GetInt32());
        }
    }

    [Fact]
    public async Task Roles_and_departments_decide_what_is_stored_found_and_retrieved()
    {
        SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        var cardioStudy = SyntheticCt.CreateStudy(610, 1, 2);
        var radioStudy = SyntheticCt.CreateStudy(611, 1, 1);

        // A reader may not store; a writer stores for its department.
        Assert.Equal(HttpStatusCode.Forbidden, (await Store(cardioStudy, Token("reader", "cardio"), ct)).Status);
        var stored = await Store(cardioStudy, Token("writer", "cardio"), ct);
        Assert.True(stored.Status == HttpStatusCode.OK, stored.ToString());
        Assert.Equal(HttpStatusCode.OK, (await Store(radioStudy, Token("writer", "radio"), ct)).Status);

        // A writer for two departments must say which; one it does not hold is refused.
        var both = Token("writer", "cardio", "radio");
        Assert.Equal(HttpStatusCode.Forbidden, (await Store(SyntheticCt.CreateStudy(612, 1, 1), both, ct)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Store(SyntheticCt.CreateStudy(613, 1, 1), Token("writer", "cardio"), ct, department: "radio")).Status);

        // A cardio reader finds and retrieves cardio's study only.
        var cardioReader = Token("reader", "cardio");
        var found = await Get("studies?PatientID=SYN00061*", cardioReader, ct);
        Assert.Equal(HttpStatusCode.OK, found.Status);
        var studies = found.Json.EnumerateArray().Select(s => s.GetProperty("0020000D").GetProperty("Value")[0].GetString()!).ToArray();
        Assert.Equal([cardioStudy[0].Study.StudyInstanceUid], studies);
        Assert.Equal(HttpStatusCode.OK, (await Get($"studies/{cardioStudy[0].Study.StudyInstanceUid}/metadata", cardioReader, ct)).Status);
        var refused = await Get($"studies/{radioStudy[0].Study.StudyInstanceUid}/metadata", cardioReader, ct);
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Equal("application/problem+json", refused.MediaType);

        // A compliance officer and an administrator see every department; the officer may not store.
        foreach (var all in new[] { Token("compliance-officer"), Token("admin") })
        {
            var everything = await Get("studies?PatientID=SYN00061*", all, ct);
            Assert.Equal(2, everything.Json.GetArrayLength());
            Assert.Equal(HttpStatusCode.OK, (await Get($"studies/{radioStudy[0].Study.StudyInstanceUid}/metadata", all, ct)).Status);
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await Store(SyntheticCt.CreateStudy(614, 1, 1), Token("compliance-officer"), ct)).Status);

        // A token with no DICOMweb role is refused even for reading.
        Assert.Equal(HttpStatusCode.Forbidden, (await Get("studies", TokenFixture.Token(["auditor"], ["cardio"]), ct)).Status);
    }

    private static string Token(string role, params string[] departments) => TokenFixture.Token([role], departments);

    private async Task<StowClient.Answer> Store(IReadOnlyList<SyntheticInstance> study, string token, CancellationToken ct, string? department = null)
    {
        var bodies = new List<byte[]>();
        foreach (var instance in study)
        {
            bodies.Add(await SyntheticCt.EncodeAsync(instance, ct));
        }

        var (body, boundary) = MultipartBody.Build(bodies.Select(b => ("application/dicom", b, (string?)null)));
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(fixture.DicomWeb, "studies")) { Content = MultipartBody.Content(body, boundary) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (department is not null)
        {
            request.Headers.Add("X-Vna-Department", department);
        }

        return await StowClient.SendAsync(fixture.Http, request, ct);
    }

    private Task<StowClient.Answer> Get(string path, string token, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(fixture.DicomWeb, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return StowClient.SendAsync(fixture.Http, request, ct);
    }

    private void SkipIfUnavailable()
    {
        if (fixture.Unavailable is not null)
        {
            Assert.Skip(fixture.Unavailable);
        }
    }
}
