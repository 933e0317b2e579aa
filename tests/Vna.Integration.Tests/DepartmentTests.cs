using System.Net;
using Vna.Dicom;
using Vna.Testing;

namespace Vna.Integration.Tests;

/// <summary>
/// Departments through the real server, configured by environment: a store without X-Vna-Department belongs to the
/// configured default department (here "radiology", which assigns Issuer of Patient ID "RAD": the stored object is the
/// coerced one, and the acknowledged checksum is the stored object's); a named department applies its own rules; an
/// unknown one is refused.
/// </summary>
public sealed class DepartmentTests
{
    [Fact(Timeout = 300_000)]
    public async Task The_default_department_is_the_configured_one_and_its_coercions_apply()
    {
        var ct = TestContext.Current.CancellationToken;
        var admin = await Postgres.RequireAsync();
        using var scratch = new ScratchFolder("it-departments");
        await using var database = await TestDatabase.CreateAsync(admin, "vna_it", ct);
        var data = scratch.Sub("data");
        await using var server = await ServerProcess.StartAsync(
            new ServerSettings
            {
                Name = "departments",
                Postgres = database.ConnectionString,
                WorkDirectory = scratch.Path,
                DataDirectory = data,
                Configuration = new Dictionary<string, string>
                {
                    ["Archive__DefaultDepartment"] = "radiology",
                    ["Archive__Departments__0__Name"] = "radiology",
                    ["Archive__Departments__0__IssuerOfPatientId"] = "RAD",
                    ["Archive__Departments__1__Name"] = "cardiology",
                },
            },
            ct);
        using var http = ArchiveHttp.CreateClient();
        var study = SyntheticCt.CreateStudy(700, 1, 3);

        // No header: the default department, radiology; its issuer is assigned, so the archive stores (and acknowledges) a
        // rewritten object.
        var sent = await SyntheticCt.EncodeAsync(study[0], ct);
        var stored = await ArchiveHttp.PostAsync(http, server.BaseAddress, sent, ct);
        Assert.True(stored.StatusCode == HttpStatusCode.OK && stored.Status == "Stored", $"{stored}\n{server.LogTail(10)}");
        Assert.NotEqual(SyntheticCt.Sha256(sent), stored.Sha256);
        var placement = await ArchiveHttp.GetInstanceAsync(http, server.BaseAddress, study[0].SopInstanceUid!, ct);
        Assert.NotNull(placement);
        Assert.Equal(stored.Sha256, placement.Sha256);
        var path = HotTier.PathOf(data, placement.Location);
        Assert.Equal(stored.Sha256, await HotTier.Sha256OfFileAsync(path, ct));
        using (var file = await DicomReader.ReadFileAsync(path, null, ct))
        {
            Assert.Equal("RAD", file.Dataset.GetString(DicomTag.IssuerOfPatientID));
            Assert.Equal(study[0].Study.PatientId, file.Dataset.GetString(DicomTag.PatientID));
        }

        // The same object again is a duplicate of the coerced copy.
        var again = await ArchiveHttp.PostAsync(http, server.BaseAddress, sent, ct);
        Assert.Equal("Duplicate", again.Status);

        // A named department without an issuer: stored as sent.
        var cardiology = await SyntheticCt.EncodeAsync(study[1], ct);
        var asSent = await ArchiveHttp.PostAsync(http, server.BaseAddress, cardiology, ct, department: "cardiology");
        Assert.Equal("Stored", asSent.Status);
        Assert.Equal(SyntheticCt.Sha256(cardiology), asSent.Sha256);

        // An unknown department: refused, nothing stored.
        var unknown = await ArchiveHttp.PostAsync(http, server.BaseAddress, await SyntheticCt.EncodeAsync(study[2], ct), ct, department: "default");
        Assert.Equal(HttpStatusCode.Forbidden, unknown.StatusCode);
        Assert.Equal("NotAuthorized", unknown.Failure);
        Assert.Equal(2L, await database.ScalarAsync<long>("SELECT count(*) FROM instance", ct));
    }

    [Fact(Timeout = 300_000)]
    public async Task A_coercion_rule_that_cannot_be_applied_stops_the_server_at_start_saying_why()
    {
        var ct = TestContext.Current.CancellationToken;
        var admin = await Postgres.RequireAsync();
        using var scratch = new ScratchFolder("it-bad-config");
        await using var database = await TestDatabase.CreateAsync(admin, "vna_it", ct);

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => ServerProcess.StartAsync(
            new ServerSettings
            {
                Name = "bad-config",
                Postgres = database.ConnectionString,
                WorkDirectory = scratch.Path,
                DataDirectory = scratch.Sub("data"),
                Configuration = new Dictionary<string, string>
                {
                    ["Archive__Departments__0__Name"] = "default",
                    ["Archive__Departments__0__Coercions__0__Tag"] = "NoSuchKeyword",
                    ["Archive__Departments__0__Coercions__0__Value"] = "x",
                },
            },
            ct,
            TimeSpan.FromSeconds(60)));

        // Not a server that starts and then refuses every store with 503: it does not start, and the log names the rule.
        Assert.Contains("'NoSuchKeyword' is not a tag", failure.Message, StringComparison.Ordinal);
    }
}
