using System.Net;
using System.Text;
using System.Text.Json;
using Vna.Dicom;
using Vna.Testing;

namespace Vna.Web.Tests;

/// <summary>
/// STOW-RS of DICOM JSON with compressed pixel data as a bulk data part (PS3.18 10.5.1/10.5.2): the codestream of a real
/// sample (../shared/dicom-samples) is sent in a part whose media type (and transfer-syntax parameter) names its syntax;
/// the archive stores it encapsulated in that syntax, byte for byte, and WADO-RS gives it back. A part whose content
/// disagrees with what it declares, or that would need a transform, fails its data set in the Failed SOP Sequence and
/// stores nothing.
/// </summary>
public sealed class CompressedStowTests(WebServerFixture fixture) : IClassFixture<WebServerFixture>
{
    private const string AnyDicom = "multipart/related; type=\"application/dicom\"; transfer-syntax=*";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("transfer-syntax/jpeg-baseline/JPEGBaseline_1s_1f_u_08_08.dcm", "image/jpeg", "1.2.840.10008.1.2.4.50")]
    [InlineData("transfer-syntax/htj2k/HTJ2K_08_RGB.dcm", "image/jphc", "1.2.840.10008.1.2.4.203")]
    [InlineData("transfer-syntax/jpeg-ls-lossless/JLSL_16_15_1_1F.dcm", "application/octet-stream; transfer-syntax=1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.80")]
    [InlineData("transfer-syntax/jpeg2000/MR2_J2KI.dcm", "image/jp2; transfer-syntax=1.2.840.10008.1.2.4.91", "1.2.840.10008.1.2.4.91")]
    public async Task A_compressed_pixel_data_part_is_stored_encapsulated_in_its_syntax_byte_for_byte(string sample, string mediaType, string expectedSyntax)
    {
        SkipUnlessReady();
        var (dataset, codestream) = await LoadAsync(sample);

        var answer = await StoreAsync([(dataset, "urn:pixels")], [(mediaType, codestream, "urn:pixels")]);

        Assert.True(answer.Status == HttpStatusCode.OK, answer + " " + string.Join(" | ", answer.Warnings));
        var retrieved = await RetrieveAsync(dataset);
        Assert.Equal(expectedSyntax, retrieved.TransferSyntax.Uid);
        var pixels = Assert.IsType<DicomFragmentSequence>(retrieved.Dataset[DicomTag.PixelData]);
        var fragment = (await Assert.Single(pixels.Fragments).GetValueAsync(Ct)).ToArray();
        Assert.Equal(codestream, fragment.AsSpan(0, codestream.Length).ToArray());
        Assert.True(fragment.Length == codestream.Length || (fragment.Length == codestream.Length + 1 && fragment[^1] == 0), "only one zero pad byte may follow");
        Assert.Equal(dataset.GetString(DicomTag.Rows), retrieved.Dataset.GetString(DicomTag.Rows));
    }

    [Fact]
    public async Task A_part_whose_content_disagrees_with_its_declared_syntax_fails_its_data_set_and_stores_nothing()
    {
        SkipUnlessReady();
        var (good, jpeg) = await LoadAsync("transfer-syntax/jpeg-baseline/JPEGBaseline_1s_1f_u_08_08.dcm");
        var (lyingJ2k, _) = await LoadAsync("transfer-syntax/jpeg-baseline/JPEGBaseline_1s_1f_u_08_08.dcm");
        var (lyingJpeg, _) = await LoadAsync("transfer-syntax/jpeg-baseline/JPEGBaseline_1s_1f_u_08_08.dcm");
        var (png, _) = await LoadAsync("transfer-syntax/jpeg-baseline/JPEGBaseline_1s_1f_u_08_08.dcm");

        var answer = await StoreAsync(
            [(good, "urn:good"), (lyingJ2k, "urn:j2k"), (lyingJpeg, "urn:lossless"), (png, "urn:png")],
            [
                ("image/jpeg", jpeg, "urn:good"),
                ("application/octet-stream; transfer-syntax=1.2.840.10008.1.2.4.90", jpeg, "urn:j2k"), // a JPEG said to be JPEG 2000
                ("image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.70", jpeg, "urn:lossless"),       // baseline said to be lossless
                ("image/png", jpeg, "urn:png"),                                                        // would need a transform
            ]);

        Assert.True(answer.Status == HttpStatusCode.Accepted, answer.ToString());
        var referenced = answer.Json.GetProperty("00081199").GetProperty("Value");
        Assert.Equal(good.GetString(DicomTag.SOPInstanceUID), Assert.Single(referenced.EnumerateArray()).GetProperty("00081155").GetProperty("Value")[0].GetString());
        var failed = answer.Json.GetProperty("00081198").GetProperty("Value").EnumerateArray().ToArray();
        Assert.Equal(3, failed.Length);
        Assert.Equal(
            new[] { lyingJ2k, lyingJpeg, png }.Select(d => d.GetString(DicomTag.SOPInstanceUID)).Order(StringComparer.Ordinal),
            failed.Select(f => f.GetProperty("00081155").GetProperty("Value")[0].GetString()).Order(StringComparer.Ordinal));
        Assert.All(failed, f => Assert.Equal(0xC000, f.GetProperty("00081197").GetProperty("Value")[0].GetInt32()));
        Assert.Contains(answer.Warnings, w => w.Contains("not a JPEG 2000 codestream", StringComparison.Ordinal));
        Assert.Contains(answer.Warnings, w => w.Contains("does not match the declared transfer syntax", StringComparison.Ordinal));
        Assert.Contains(answer.Warnings, w => w.Contains("transformed", StringComparison.Ordinal));

        // Nothing of the refused data sets is stored; the good one is.
        foreach (var refused in new[] { lyingJ2k, lyingJpeg, png })
        {
            var found = await StowClient.GetAsync(fixture.Http, new Uri(fixture.DicomWeb, $"instances?SOPInstanceUID={refused.GetString(DicomTag.SOPInstanceUID)}"), Ct);
            Assert.True(found.Status is HttpStatusCode.OK or HttpStatusCode.NoContent, found.ToString());
            Assert.True(found.Body.Length == 0 || found.Json.GetArrayLength() == 0, found.ToString());
        }

        Assert.Equal("1.2.840.10008.1.2.4.50", (await RetrieveAsync(good)).TransferSyntax.Uid);
    }

    [Fact]
    public async Task Compressed_pixel_data_without_the_image_pixel_attributes_is_refused_with_the_reason()
    {
        SkipUnlessReady();
        var (dataset, jpeg) = await LoadAsync("transfer-syntax/jpeg-baseline/JPEGBaseline_1s_1f_u_08_08.dcm");
        dataset.Remove(DicomTag.Rows);

        var answer = await StoreAsync([(dataset, "urn:p")], [("image/jpeg", jpeg, "urn:p")]);

        Assert.True(answer.Status == HttpStatusCode.Conflict, answer.ToString());
        Assert.Contains(answer.Warnings, w => w.Contains("Image Pixel Description", StringComparison.Ordinal));
    }

    private void SkipUnlessReady()
    {
        if (fixture.Unavailable is not null)
        {
            Assert.Skip(fixture.Unavailable);
        }

        if (!File.Exists(Path.Combine(SamplesDirectory, "MANIFEST.tsv")))
        {
            Assert.Skip("../shared/dicom-samples is not beside the repository: compressed STOW tests skipped");
        }
    }

    private static string SamplesDirectory => Path.GetFullPath(Path.Combine(RepositoryPaths.Root, "..", "shared", "dicom-samples"));

    /// <summary>The sample's data set without its pixel data (fresh UIDs, so each test stores new instances) and its one frame's codestream.</summary>
    private static async Task<(DicomDataset Dataset, byte[] Codestream)> LoadAsync(string sample)
    {
        using var file = await DicomReader.ReadFileAsync(Path.Combine(SamplesDirectory, sample), new DicomReaderOptions { BulkDataThreshold = int.MaxValue }, Ct);
        var pixels = Assert.IsType<DicomFragmentSequence>(file.Dataset[DicomTag.PixelData]);
        using var codestream = new MemoryStream();
        foreach (var fragment in pixels.Fragments)
        {
            codestream.Write((await fragment.GetValueAsync(Ct)).Span);
        }

        var dataset = new DicomDataset(file.Dataset.Where(i => i.Tag != DicomTag.PixelData && i.Tag.Group != 0x7FE0 && i is not DicomFragmentSequence).ToList()).Clone();
        var root = "2.25." + new System.Numerics.BigInteger(Guid.NewGuid().ToByteArray(), isUnsigned: true).ToString(System.Globalization.CultureInfo.InvariantCulture);
        dataset.AddOrUpdate(DicomTag.StudyInstanceUID, DicomVR.UI, root + ".1");
        dataset.AddOrUpdate(DicomTag.SeriesInstanceUID, DicomVR.UI, root + ".2");
        dataset.AddOrUpdate(DicomTag.SOPInstanceUID, DicomVR.UI, root + ".3");
        return (dataset, TrimPadding(codestream.ToArray()));
    }

    /// <summary>An even-length fragment may end in one pad byte after the codestream's end marker.</summary>
    private static byte[] TrimPadding(byte[] codestream) =>
        codestream.Length > 2 && codestream[^1] == 0 && codestream[^3] == 0xFF && codestream[^2] == 0xD9 ? codestream[..^1] : codestream;

    private async Task<StowClient.Answer> StoreAsync(IReadOnlyList<(DicomDataset Dataset, string Uri)> datasets, IReadOnlyList<(string Type, byte[] Body, string Location)> bulk)
    {
        using var json = new MemoryStream();
        await DicomJson.WriteArrayAsync(
            json,
            datasets.Select(d => d.Dataset),
            new DicomJsonWriterOptions { BulkDataUriFactory = _ => null },
            Ct);
        var array = System.Text.Json.Nodes.JsonNode.Parse(json.ToArray())!.AsArray();
        for (var i = 0; i < datasets.Count; i++)
        {
            array[i]!.AsObject()["7FE00010"] = new System.Text.Json.Nodes.JsonObject { ["vr"] = "OB", ["BulkDataURI"] = datasets[i].Uri };
        }

        var parts = new List<(string, byte[], string?)> { ("application/dicom+json", Encoding.UTF8.GetBytes(array.ToJsonString()), null) };
        parts.AddRange(bulk.Select(b => (b.Type, b.Body, (string?)b.Location)));
        var (body, boundary) = MultipartBody.Build(parts);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(fixture.DicomWeb, "studies"))
        {
            Content = MultipartBody.Content(body, boundary, "application/dicom+json"),
        };
        request.Headers.Accept.ParseAdd("application/dicom+json");
        return await StowClient.SendAsync(fixture.Http, request, Ct);
    }

    private async Task<DicomFile> RetrieveAsync(DicomDataset dataset)
    {
        var url = new Uri(fixture.DicomWeb,
            $"studies/{dataset.GetString(DicomTag.StudyInstanceUID)}/series/{dataset.GetString(DicomTag.SeriesInstanceUID)}/instances/{dataset.GetString(DicomTag.SOPInstanceUID)}");
        var answer = await StowClient.GetAsync(fixture.Http, url, Ct, AnyDicom);
        Assert.True(answer.Status == HttpStatusCode.OK, answer + " " + string.Join(" | ", answer.Warnings));
        var part = Assert.Single(MultipartBody.Parse(answer.Body, answer.ContentType!));
        return await DicomReader.ReadAsync(new MemoryStream(part.Body), new DicomReaderOptions { BulkDataThreshold = int.MaxValue }, cancellationToken: Ct);
    }
}
