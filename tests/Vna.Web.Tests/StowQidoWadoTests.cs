using System.Net;
using System.Text.Json;
using Vna.Testing;

namespace Vna.Web.Tests;

/// <summary>
/// The round trip through the running archive: STOW-RS a study, find it with QIDO-RS at every level, retrieve it with
/// WADO-RS (study, series, instance: the bytes are the ones sent), its metadata (from the rows aggregated at ingest) and its
/// frames and bulk data (the pixels sent).
/// </summary>
public sealed class StowQidoWadoTests(WebServerFixture fixture) : IClassFixture<WebServerFixture>
{
    private const string AnyDicom = "multipart/related; type=\"application/dicom\"; transfer-syntax=*";

    [Fact]
    public async Task Stow_then_qido_then_wado_returns_the_same_bytes()
    {
        if (fixture.Unavailable is not null)
        {
            Assert.Skip(fixture.Unavailable);
        }

        var ct = TestContext.Current.CancellationToken;
        var instances = SyntheticCt.CreateStudy(501, 2, 3);
        var encoded = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var instance in instances)
        {
            encoded[instance.SopInstanceUid!] = await SyntheticCt.EncodeAsync(instance, ct);
        }

        var study = instances[0].Study.StudyInstanceUid;
        var stored = await StowClient.StoreAsync(fixture.Http, fixture.DicomWeb, encoded.Values, ct);
        Assert.True(stored.Status == HttpStatusCode.OK, stored.ToString());
        Assert.Equal("application/dicom+json", stored.MediaType);
        var referenced = stored.Json.GetProperty("00081199").GetProperty("Value");
        Assert.Equal(6, referenced.GetArrayLength());
        Assert.False(stored.Json.TryGetProperty("00081198", out _), "no failed SOP expected");

        // QIDO-RS: the study by patient ID, its series, its instances.
        var studies = await StowClient.GetAsync(fixture.Http, new Uri(fixture.DicomWeb, $"studies?PatientID={instances[0].Study.PatientId}"), ct);
        Assert.Equal(HttpStatusCode.OK, studies.Status);
        var match = Assert.Single(studies.Json.EnumerateArray());
        Assert.Equal(study, Value(match, "0020000D"));
        Assert.Equal("6", ValueText(match, "00201208"));
        Assert.Equal("ONLINE", Value(match, "00080056"));
        Assert.EndsWith($"/dicomweb/studies/{study}", Value(match, "00081190"), StringComparison.Ordinal);

        var series = await StowClient.GetAsync(fixture.Http, new Uri(fixture.DicomWeb, $"studies/{study}/series"), ct);
        Assert.Equal(2, series.Json.GetArrayLength());
        var firstSeries = instances[0].SeriesInstanceUid!;
        var seriesInstances = await StowClient.GetAsync(fixture.Http, new Uri(fixture.DicomWeb, $"studies/{study}/series/{firstSeries}/instances"), ct);
        Assert.Equal(3, seriesInstances.Json.GetArrayLength());
        Assert.All(seriesInstances.Json.EnumerateArray(), i => Assert.Equal("512", ValueText(i, "00280010")));

        // WADO-RS: the study, a series, an instance; each part is the object sent, byte for byte.
        var whole = await StowClient.GetAsync(fixture.Http, new Uri(fixture.DicomWeb, $"studies/{study}"), ct, AnyDicom);
        Assert.True(whole.Status == HttpStatusCode.OK, whole.ToString());
        var parts = MultipartBody.Parse(whole.Body, whole.ContentType!);
        Assert.Equal(6, parts.Count);
        foreach (var part in parts)
        {
            var sop = part.Headers["content-location"].Split('/')[^1];
            Assert.Equal(SyntheticCt.Sha256(encoded[sop]), SyntheticCt.Sha256(part.Body));
            Assert.StartsWith("application/dicom", part.ContentType, StringComparison.Ordinal);
        }

        var one = instances[4];
        var single = await StowClient.GetAsync(fixture.Http,
            new Uri(fixture.DicomWeb, $"studies/{study}/series/{one.SeriesInstanceUid}/instances/{one.SopInstanceUid}"), ct,
            "multipart/related; type=\"application/dicom\"");
        Assert.Equal(encoded[one.SopInstanceUid!], Assert.Single(MultipartBody.Parse(single.Body, single.ContentType!)).Body);

        // Metadata of a series: one object per instance, pixel data by absolute BulkDataURI, no pixels inline.
        var metadata = await StowClient.GetAsync(fixture.Http, new Uri(fixture.DicomWeb, $"studies/{study}/series/{firstSeries}/metadata"), ct);
        Assert.Equal(HttpStatusCode.OK, metadata.Status);
        Assert.Equal(3, metadata.Json.GetArrayLength());
        // The metadata object of the series' first instance (objects come in registration order, which concurrent parts vary).
        var firstObject = metadata.Json.EnumerateArray().Single(o => o.GetProperty("00080018").GetProperty("Value")[0].GetString() == instances[0].SopInstanceUid);
        var pixelUri = firstObject.GetProperty("7FE00010").GetProperty("BulkDataURI").GetString()!;
        Assert.StartsWith(fixture.DicomWeb.ToString(), pixelUri, StringComparison.Ordinal);
        Assert.True(metadata.Body.Length < 3 * 16 * 1024, $"metadata of 3 instances is {metadata.Body.Length} bytes: pixels inline?");

        // Frame 1 is the pixel data sent; the bulk data URI from the metadata serves the same bytes.
        var sourcePixels = SyntheticCt.ToDataset(one).GetElement(Vna.Dicom.DicomTag.PixelData)!.InlineValue.ToArray();
        var frame = await StowClient.GetAsync(fixture.Http,
            new Uri(fixture.DicomWeb, $"studies/{study}/series/{one.SeriesInstanceUid}/instances/{one.SopInstanceUid}/frames/1"), ct);
        Assert.True(frame.Status == HttpStatusCode.OK, frame.ToString());
        var framePart = Assert.Single(MultipartBody.Parse(frame.Body, frame.ContentType!));
        Assert.Equal(sourcePixels, framePart.Body);
        Assert.StartsWith("application/octet-stream", framePart.ContentType, StringComparison.Ordinal);

        var bulk = await StowClient.GetAsync(fixture.Http, new Uri(pixelUri), ct);
        Assert.True(bulk.Status == HttpStatusCode.OK, bulk.ToString());
        var bulkPart = Assert.Single(MultipartBody.Parse(bulk.Body, bulk.ContentType!));
        Assert.Equal(SyntheticCt.Sha256(SyntheticCt.ToDataset(instances[0]).GetElement(Vna.Dicom.DicomTag.PixelData)!.InlineValue.Span), SyntheticCt.Sha256(bulkPart.Body));
    }

    private static string? Value(JsonElement match, string tag) => match.GetProperty(tag).GetProperty("Value")[0].GetString();

    private static string ValueText(JsonElement match, string tag) => match.GetProperty(tag).GetProperty("Value")[0].ToString();
}
