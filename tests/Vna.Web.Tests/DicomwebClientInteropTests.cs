using System.Diagnostics;
using System.Text.Json;
using Vna.Dicom;
using Vna.Testing;

namespace Vna.Web.Tests;

/// <summary>
/// dicomweb-client (npm; the client OHIF and other viewers are built on) against the running archive: store, search at
/// three levels, series metadata, frames, a whole instance and bulk data, by tests/web-interop/interop.js. Needs Node.js and
/// <c>npm ci</c> in tests/web-interop (deploy/local/test does it); skips with the reason otherwise (fails under CI=true).
/// </summary>
public sealed class DicomwebClientInteropTests(WebServerFixture fixture) : IClassFixture<WebServerFixture>
{
    [Fact]
    public async Task Dicomweb_client_stores_searches_and_retrieves()
    {
        if (fixture.Unavailable is not null)
        {
            Assert.Skip(fixture.Unavailable);
        }

        var folder = Path.Combine(RepositoryPaths.Root, "tests", "web-interop");
        var unavailable = !File.Exists(Path.Combine(folder, "node_modules", "dicomweb-client", "package.json"))
            ? $"dicomweb-client is not installed: run `npm ci` in {folder} (deploy/local/test does)"
            : FindNode() is null ? "node is not on PATH" : null;
        if (unavailable is not null)
        {
            if (TestPostgres.InCi)
            {
                Assert.Fail("CI=true, so this fails rather than skips: " + unavailable);
            }

            Assert.Skip(unavailable);
        }

        var ct = TestContext.Current.CancellationToken;
        using var scratch = new ScratchFolder("web-interop");
        var study = SyntheticCt.CreateStudy(800, 1, 3);
        var files = new List<string>();
        var frames = new Dictionary<string, string>(StringComparer.Ordinal);
        var instances = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var instance in study)
        {
            var path = Path.Combine(scratch.Path, instance.SopInstanceUid + ".dcm");
            instances[instance.SopInstanceUid!] = await SyntheticCt.WriteAsync(instance, path, ct);
            frames[instance.SopInstanceUid!] = SyntheticCt.Sha256(SyntheticCt.ToDataset(instance).GetElement(DicomTag.PixelData)!.InlineValue.Span);
            files.Add(path);
        }

        var expectedPath = Path.Combine(scratch.Path, "expected.json");
        await File.WriteAllTextAsync(expectedPath, JsonSerializer.Serialize(new
        {
            patientId = study[0].Study.PatientId,
            studyInstanceUid = study[0].Study.StudyInstanceUid,
            seriesInstanceUid = study[0].SeriesInstanceUid,
            frames,
            instances,
        }), ct);

        var start = new ProcessStartInfo(FindNode()!) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("interop.js");
        start.ArgumentList.Add(fixture.DicomWeb.ToString().TrimEnd('/'));
        start.ArgumentList.Add(expectedPath);
        files.ForEach(start.ArgumentList.Add);
        using var node = Process.Start(start)!;
        var output = node.StandardOutput.ReadToEndAsync(ct);
        var errors = node.StandardError.ReadToEndAsync(ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        await node.WaitForExitAsync(timeout.Token);
        var text = await output;
        Assert.True(node.ExitCode == 0, $"interop.js exited {node.ExitCode}: {text}\n{await errors}\n{fixture.Server.LogTail(20)}");
        var result = JsonDocument.Parse(text.Trim().Split('\n')[^1]).RootElement;
        Assert.True(result.GetProperty("ok").GetBoolean());
        var names = result.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()!).ToArray();
        foreach (var expected in new[] { "store", "searchForStudies", "searchForSeries", "searchForInstances", "retrieveSeriesMetadata", "retrieveInstance", "retrieveBulkData" })
        {
            Assert.Contains(expected, names);
        }

        Assert.Equal(3, names.Count(n => n.StartsWith("retrieveInstanceFrames", StringComparison.Ordinal)));
    }

    private static string? FindNode() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "node"))
            .FirstOrDefault(File.Exists);
}
