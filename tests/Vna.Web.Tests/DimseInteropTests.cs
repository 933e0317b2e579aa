using System.Diagnostics;
using System.Net;
using Vna.Dicom;
using Vna.Testing;

namespace Vna.Web.Tests;

/// <summary>
/// One archive for DIMSE and DICOMweb: what DCMTK's storescu stores by C-STORE is found by QIDO-RS and retrieved by
/// WADO-RS (its data set and pixels as sent; re-encoded to Explicit VR Little Endian through the transcoder port when it
/// was stored Implicit VR), and its metadata is there without a first read.
/// </summary>
public sealed class DimseInteropTests(DimseFixture fixture) : IClassFixture<DimseFixture>
{
    [Fact]
    public async Task Storescu_then_qido_and_wado_rs()
    {
        if (fixture.Unavailable is not null)
        {
            Assert.Skip(fixture.Unavailable);
        }

        var storescu = Tool("storescu");
        if (storescu is null)
        {
            if (TestPostgres.InCi)
            {
                Assert.Fail("CI=true: DCMTK's storescu is missing (apt-get install dcmtk)");
            }

            Assert.Skip("DCMTK's storescu is missing (apt-get install dcmtk)");
        }

        var ct = TestContext.Current.CancellationToken;
        using var scratch = new ScratchFolder("web-storescu");
        var study = SyntheticCt.CreateStudy(900, 1, 2);
        var files = new List<string>();
        foreach (var instance in study)
        {
            var path = Path.Combine(scratch.Path, instance.SopInstanceUid + ".dcm");
            await SyntheticCt.WriteAsync(instance, path, ct);
            files.Add(path);
        }

        // -xi: propose Implicit VR Little Endian only, so the archive stores what DCMTK converts the objects to.
        var start = new ProcessStartInfo(storescu) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-xi", "-aet", DimseFixture.CallingAeTitle, "-aec", "VNA", "127.0.0.1", fixture.Server.Settings.DimsePort.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        files.ForEach(start.ArgumentList.Add);
        start.Environment["TCP_NODELAY"] = "1";
        using (var process = Process.Start(start)!)
        {
            var errors = process.StandardError.ReadToEndAsync(ct);
            await process.StandardOutput.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            Assert.True(process.ExitCode == 0, $"storescu exited {process.ExitCode}: {await errors}\n{fixture.Server.LogTail(20)}");
        }

        var studyUid = study[0].Study.StudyInstanceUid;
        var found = await StowClient.GetAsync(fixture.Http, new Uri(fixture.DicomWeb, $"studies?StudyInstanceUID={studyUid}"), ct);
        Assert.Equal(2, found.Json[0].GetProperty("00201208").GetProperty("Value")[0].GetInt32());

        // As stored (Implicit VR Little Endian), then as WADO-RS's default (Explicit VR Little Endian, re-encoded).
        foreach (var (accept, syntax) in new[]
        {
            ("multipart/related; type=\"application/dicom\"; transfer-syntax=*", DicomTransferSyntax.ImplicitVRLittleEndian.Uid),
            ("multipart/related; type=\"application/dicom\"", DicomTransferSyntax.ExplicitVRLittleEndian.Uid),
        })
        {
            var answer = await StowClient.GetAsync(fixture.Http, new Uri(fixture.DicomWeb, $"studies/{studyUid}"), ct, accept);
            Assert.True(answer.Status == HttpStatusCode.OK, $"{accept}: {answer}");
            var parts = MultipartBody.Parse(answer.Body, answer.ContentType!);
            Assert.Equal(2, parts.Count);
            foreach (var part in parts)
            {
                Assert.Contains($"transfer-syntax={syntax}", part.ContentType, StringComparison.Ordinal);
                var path = Path.Combine(scratch.Path, Guid.NewGuid().ToString("N") + ".dcm");
                await File.WriteAllBytesAsync(path, part.Body, ct);
                using var file = await DicomReader.ReadFileAsync(path, null, ct);
                Assert.Equal(syntax, file.TransferSyntax.Uid);
                var sent = study.Single(i => i.SopInstanceUid == file.Dataset.GetString(DicomTag.SOPInstanceUID));
                var pixels = await file.Dataset.GetElement(DicomTag.PixelData)!.GetValueAsync(ct);
                Assert.True(pixels.Span.SequenceEqual(SyntheticCt.ToDataset(sent).GetElement(DicomTag.PixelData)!.InlineValue.Span), "pixels differ from those sent");
                Assert.Equal(sent.Study.PatientId, file.Dataset.GetString(DicomTag.PatientID));
            }
        }

        // Metadata was aggregated when the C-STORE registered the instances.
        Assert.Equal(2L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM web_instance_metadata WHERE study_instance_uid = $1", ct, studyUid));
        var metadata = await StowClient.GetAsync(fixture.Http, new Uri(fixture.DicomWeb, $"studies/{studyUid}/metadata"), ct);
        Assert.Equal(2, metadata.Json.GetArrayLength());
        Assert.Equal(DicomTransferSyntax.ImplicitVRLittleEndian.Uid, metadata.Json[0].GetProperty("00083002").GetProperty("Value")[0].GetString());
    }

    internal static string? Tool(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
