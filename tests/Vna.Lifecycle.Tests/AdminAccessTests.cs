using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Vna.Testing;
using Vna.Tiers.Tests;

namespace Vna.Lifecycle.Tests;

/// <summary>
/// The admin API of a server not in development mode (DICOMweb <c>Mode: Jwt</c>): holds, policies, audit and the
/// lifecycle need a bearer token with the role compliance-officer (or admin), the tiers' API the role admin; a bare
/// X-Vna-User header is no credential and never names who acted once a token does. The vna command sends $VNA_TOKEN.
/// </summary>
public sealed class AdminAccessTests
{
    private const string Issuer = "https://idp.vna.test";
    private const string Audience = "vna";
    private const string SigningKey = "vna-lifecycle-test-signing-key-0123456789abcdef";

    [Fact(Timeout = 180_000)]
    public async Task Compliance_operations_need_a_token_with_the_role_and_the_token_names_who_acted()
    {
        var ct = TestContext.Current.CancellationToken;
        var admin = await LifecycleHarness.RequirePostgresAsync();
        var s3 = await S3Server.NewBucketsAsync(await S3Server.RequireAsync(), ct);
        await using var database = await TestDatabase.CreateAsync(admin, "vna_lifecycle_access", ct);
        using var scratch = new ScratchFolder("lifecycle-access");
        var settings = JwtServer("lifecycle-access", database.ConnectionString, scratch, new Dictionary<string, string>
        {
            ["Tiers__Enabled"] = "true",
            ["Tiers__S3__ServiceUrl"] = s3.ServiceUrl,
            ["Tiers__S3__AccessKey"] = s3.AccessKey,
            ["Tiers__S3__SecretKey"] = s3.SecretKey,
            ["Tiers__S3__WarmBucket"] = s3.WarmBucket,
            ["Tiers__S3__ColdBucket"] = s3.ColdBucket,
        });
        await using var server = await ServerProcess.StartAsync(settings, ct);
        using var http = ArchiveHttp.CreateClient();
        var officer = Token(["compliance-officer"], "officer-jane");
        var reader = Token(["reader"], "reader-bob");
        var administrator = Token(["admin"], "admin-ann");

        // No token: 401 with a Bearer challenge, even with X-Vna-User; a token of another role or a forged one: 401/403.
        foreach (var path in new[] { "api/holds", "api/audit", "api/policies", "api/lifecycle/parked", "api/tiers/migrations" })
        {
            var (status, challenge) = await GetAsync(http, server.BaseAddress, path, null, ct);
            Assert.Equal((HttpStatusCode.Unauthorized, "Bearer"), (status, challenge));
            Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(http, server.BaseAddress, path, reader, ct)).Status);
            Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(http, server.BaseAddress, path, Token(["admin"], "eve", key: SigningKey.Replace('0', 'X')), ct)).Status);
        }

        // The compliance officer: the compliance API, not the tiers' (an operator's); the administrator: both.
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(http, server.BaseAddress, "api/audit/verify", officer, ct)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(http, server.BaseAddress, "api/tiers/migrations", officer, ct)).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(http, server.BaseAddress, "api/tiers/migrations", administrator, ct)).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(http, server.BaseAddress, "api/holds", administrator, ct)).Status);

        // The vna command: refused without $VNA_TOKEN, nothing placed; with it the hold is placed, and the trail names the
        // token's subject, not the X-Vna-User the command also sends (VNA_USER).
        var work = settings.WorkDirectory;
        var refused = await VnaCli.RunWithAsync(server.BaseAddress, work, new Dictionary<string, string> { ["VNA_USER"] = "mallory" }, ct, "hold", "place", "--patient", "PID-ACCESS", "--reason", "order 7");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("401", refused.Errors, StringComparison.Ordinal);
        var withToken = new Dictionary<string, string> { ["VNA_USER"] = "mallory", ["VNA_TOKEN"] = officer };
        var placed = await VnaCli.RunWithAsync(server.BaseAddress, work, withToken, ct, "hold", "place", "--patient", "PID-ACCESS", "--reason", "order 7");
        Assert.True(placed.ExitCode == 0, placed.Errors + placed.Output);
        var audit = await VnaCli.RunWithAsync(server.BaseAddress, work, withToken, ct, "audit", "list");
        Assert.Equal(0, audit.ExitCode);
        var line = Assert.Single(audit.Output.Split('\n'), l => l.Contains("hold-placed", StringComparison.Ordinal));
        Assert.Contains("user:officer-jane", line, StringComparison.Ordinal);
        Assert.DoesNotContain("mallory", audit.Output, StringComparison.Ordinal);

        // The tiers' commands send the token too: an officer's is refused, an administrator's accepted.
        var officerRestore = await VnaCli.RunWithAsync(server.BaseAddress, work, withToken, ct, "verify", "1.2.3.4.5");
        Assert.Contains("403", officerRestore.Errors, StringComparison.Ordinal);
        var adminVerify = await VnaCli.RunWithAsync(server.BaseAddress, work, new Dictionary<string, string> { ["VNA_TOKEN"] = administrator }, ct, "verify", "1.2.3.4.5");
        Assert.Contains("404", adminVerify.Errors, StringComparison.Ordinal); // let in; there is no such study
    }

    [Fact(Timeout = 180_000)]
    public async Task Storing_and_looking_up_through_the_archive_api_need_a_token_for_the_department()
    {
        var ct = TestContext.Current.CancellationToken;
        var admin = await LifecycleHarness.RequirePostgresAsync();
        await using var database = await TestDatabase.CreateAsync(admin, "vna_api_access", ct);
        using var scratch = new ScratchFolder("api-access");
        var settings = JwtServer("api-access", database.ConnectionString, scratch, new Dictionary<string, string>
        {
            ["Archive__DefaultDepartment"] = "radiology",
            ["Archive__Departments__0__Name"] = "radiology",
            ["Archive__Departments__1__Name"] = "cardiology",
        });
        await using var server = await ServerProcess.StartAsync(settings, ct);
        using var http = ArchiveHttp.CreateClient();
        var instance = SyntheticCt.CreateStudy(4242, 1, 1)[0];
        var bytes = await SyntheticCt.EncodeAsync(instance, ct);
        var sop = instance.SopInstanceUid;
        var study = instance.Study.StudyInstanceUid;
        var radiologyWriter = Token(["writer"], "pacs-rad", departments: ["radiology"]);
        var cardiologyWriter = Token(["writer"], "pacs-card", departments: ["cardiology"]);
        var radiologyReader = Token(["reader"], "viewer-rad", departments: ["radiology"]);
        var cardiologyReader = Token(["reader"], "viewer-card", departments: ["cardiology"]);
        var administrator = Token(["admin"], "admin-ann");

        // Storing: no token 401, a reader 403, a writer naming another department 403, a writer of several departments
        // naming none 403 — and nothing of those attempts is in the archive.
        var bothWriter = Token(["writer"], "pacs-both", departments: ["radiology", "cardiology"]);
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(bytes, null, null));
        Assert.Equal(HttpStatusCode.Forbidden, await PostAsync(bytes, radiologyReader, "radiology"));
        Assert.Equal(HttpStatusCode.Forbidden, await PostAsync(bytes, cardiologyWriter, "radiology"));
        Assert.Equal(HttpStatusCode.Forbidden, await PostAsync(bytes, bothWriter, null));
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(http, server.BaseAddress, $"api/instances/{sop}", administrator, ct)).Status);

        // The department's writer stores (by header, and again by its token's one department: a duplicate, acknowledged).
        Assert.Equal(HttpStatusCode.OK, await PostAsync(bytes, radiologyWriter, "radiology"));
        Assert.Equal(HttpStatusCode.OK, await PostAsync(bytes, radiologyWriter, null));

        // Without the header the department is the token's one department, as for STOW-RS, not the archive's default: the
        // cardiology writer's instance is cardiology's (its reader sees it, radiology's does not).
        var cardiac = SyntheticCt.CreateStudy(4244, 1, 1)[0];
        Assert.Equal(HttpStatusCode.OK, await PostAsync(await SyntheticCt.EncodeAsync(cardiac, ct), cardiologyWriter, null));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(http, server.BaseAddress, $"api/instances/{cardiac.SopInstanceUid}", cardiologyReader, ct)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(http, server.BaseAddress, $"api/instances/{cardiac.SopInstanceUid}", radiologyReader, ct)).Status);

        // Looking up: no token 401; a reader of another department 403; the department's reader and an admin 200.
        foreach (var path in new[] { $"api/instances/{sop}", $"api/studies/{study}" })
        {
            Assert.Equal((HttpStatusCode.Unauthorized, "Bearer"), await GetAsync(http, server.BaseAddress, path, null, ct));
            Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(http, server.BaseAddress, path, cardiologyReader, ct)).Status);
            Assert.Equal(HttpStatusCode.OK, (await GetAsync(http, server.BaseAddress, path, radiologyReader, ct)).Status);
            Assert.Equal(HttpStatusCode.OK, (await GetAsync(http, server.BaseAddress, path, administrator, ct)).Status);
        }

        // vna import sends $VNA_TOKEN: refused without it (exit 3, nothing new), stored with the writer's token.
        var other = SyntheticCt.CreateStudy(4243, 1, 1)[0];
        var folder = scratch.Sub("import");
        await SyntheticCt.WriteAsync(other, Path.Combine(folder, "one.dcm"), ct);
        var refused = await VnaCli.RunWithAsync(server.BaseAddress, settings.WorkDirectory, new Dictionary<string, string>(), ct, "import", folder);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(http, server.BaseAddress, $"api/instances/{other.SopInstanceUid}", administrator, ct)).Status);
        var imported = await VnaCli.RunWithAsync(server.BaseAddress, settings.WorkDirectory, new Dictionary<string, string> { ["VNA_TOKEN"] = radiologyWriter }, ct, "import", folder);
        Assert.Equal(0, imported.ExitCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(http, server.BaseAddress, $"api/instances/{other.SopInstanceUid}", administrator, ct)).Status);

        async Task<HttpStatusCode> PostAsync(byte[] body, string? token, string? department)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseAddress, "api/instances"))
            {
                Content = new ByteArrayContent(body),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/dicom");
            if (department is not null)
            {
                request.Headers.Add("X-Vna-Department", department);
            }

            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            using var response = await http.SendAsync(request, ct);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }

            return response.StatusCode;
        }
    }

    /// <summary>A server in Jwt mode with this class's signing key, issuer and audience, plus <paramref name="extra"/>.</summary>
    private static ServerSettings JwtServer(string name, string postgres, ScratchFolder scratch, Dictionary<string, string> extra)
    {
        extra["DicomWeb__Authentication__Mode"] = "Jwt";
        extra["DicomWeb__Authentication__SigningKey"] = SigningKey;
        extra["DicomWeb__Authentication__Issuer"] = Issuer;
        extra["DicomWeb__Authentication__Audience"] = Audience;
        return LifecycleServer.Settings(name, postgres, scratch, extra);
    }

    private static async Task<(HttpStatusCode Status, string? Challenge)> GetAsync(HttpClient http, Uri server, string path, string? token, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server, path));
        request.Headers.Add("X-Vna-User", "mallory");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await http.SendAsync(request, ct);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            Assert.Equal((int)response.StatusCode, problem.RootElement.GetProperty("status").GetInt32());
        }

        return (response.StatusCode, response.Headers.WwwAuthenticate.FirstOrDefault()?.Scheme);
    }

    private static string Token(string[] roles, string subject, string key = SigningKey, string[]? departments = null)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            NotBefore = now.AddMinutes(-1),
            IssuedAt = now.AddMinutes(-1),
            Expires = now.AddMinutes(10),
            Subject = new ClaimsIdentity([new Claim("sub", subject)]),
            Claims = new Dictionary<string, object> { ["roles"] = roles, ["departments"] = departments ?? ["*"] },
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
        });
    }
}
