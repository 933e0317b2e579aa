using System.Net;
using Vna.Dicom;
using Vna.Testing;
using Vna.Web.Metadata;

namespace Vna.Web.Tests;

/// <summary>
/// The metadata document the Store feature makes from the data set it has already parsed (and indexes with the instance
/// in one transaction) is the one WADO-RS would make from the stored object: every sample of ../shared/dicom-samples the
/// archive accepts, and a synthetic CT study, is sent by STOW-RS; each indexed instance's metadata row is there as soon
/// as the store answers and is byte for byte the document made from the stored file as the on-demand path reads it.
/// </summary>
public sealed class MetadataAtIngestTests(WebServerFixture fixture) : IClassFixture<WebServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string SamplesDirectory => Path.GetFullPath(Path.Combine(RepositoryPaths.Root, "..", "shared", "dicom-samples"));

    [Fact]
    public async Task The_document_made_at_ingest_equals_the_one_made_from_the_stored_object()
    {
        if (fixture.Unavailable is not null)
        {
            Assert.Skip(fixture.Unavailable);
        }

        if (!File.Exists(Path.Combine(SamplesDirectory, "MANIFEST.tsv")))
        {
            Assert.Skip("../shared/dicom-samples is not beside the repository: the metadata-at-ingest comparison needs its samples");
        }

        var sent = new List<string>();
        foreach (var line in (await File.ReadAllLinesAsync(Path.Combine(SamplesDirectory, "MANIFEST.tsv"), Ct)).Skip(1))
        {
            var path = Path.Combine(SamplesDirectory, line.Split('\t')[0]);
            if (File.Exists(path))
            {
                // One request per sample: a sample the archive refuses (or a repeated UID) fails alone.
                var answer = await StowClient.StoreAsync(fixture.Http, fixture.DicomWeb, [await File.ReadAllBytesAsync(path, Ct)], Ct);
                if (answer.Status == HttpStatusCode.OK)
                {
                    sent.Add(path);
                }
            }
        }

        var ct = SyntheticCt.CreateStudy(777, 2, 3);
        var encoded = new List<byte[]>();
        foreach (var instance in ct)
        {
            encoded.Add(await SyntheticCt.EncodeAsync(instance, Ct));
        }

        var stored = await StowClient.StoreAsync(fixture.Http, fixture.DicomWeb, encoded, Ct);
        Assert.True(stored.Status == HttpStatusCode.OK, stored.ToString());
        Assert.True(sent.Count >= 80, $"only {sent.Count} samples were accepted: the comparison would prove little");

        var rows = await fixture.Database.QueryAsync(
            """
            SELECT st.study_instance_uid, se.series_instance_uid, i.sop_instance_uid, i.transfer_syntax_uid, i.location,
                   w.metadata, w.sha256 = i.sha256, w.rows, w.columns, w.bits_allocated, w.number_of_frames
            FROM instance i JOIN series se USING (series_pk) JOIN study st ON st.study_pk = i.study_pk
                 LEFT JOIN web_instance_metadata w ON w.sop_instance_uid = i.sop_instance_uid
            """,
            r => (Study: r.GetString(0), Series: r.GetString(1), Sop: r.GetString(2), Syntax: r.GetString(3), Location: r.GetString(4),
                Json: r.IsDBNull(5) ? null : (byte[])r[5], Current: !r.IsDBNull(6) && r.GetBoolean(6),
                Image: $"{Text(r, 7)}|{Text(r, 8)}|{Text(r, 9)}|{Text(r, 10)}"),
            Ct);
        Assert.True(rows.Count >= sent.Count + 6, $"{rows.Count} instances indexed for {sent.Count} samples and 6 CT instances");

        var differing = new List<string>();
        foreach (var row in rows)
        {
            Assert.True(row.Json is not null && row.Current, $"instance {row.Sop} was indexed without its current metadata row");
            var options = new DicomReaderOptions { BulkDataThreshold = InstanceMetadataBuilder.InlineLimit + 1 };
            using var file = await DicomReader.ReadFileAsync(HotTier.PathOf(fixture.DataDirectory, row.Location), options, Ct);
            var expected = InstanceMetadataBuilder.BuildDocument(file, row.Study, row.Series, row.Sop, row.Syntax);
            var image = $"{expected.Rows}|{expected.Columns}|{expected.BitsAllocated}|{expected.NumberOfFrames}";
            if (!expected.Json.AsSpan().SequenceEqual(row.Json) || image != row.Image)
            {
                differing.Add($"{row.Location}: {row.Image} vs {image}");
            }
        }

        Assert.True(differing.Count == 0, $"{differing.Count} of {rows.Count} documents differ from the stored objects': {string.Join("; ", differing.Take(5))}");
    }

    private static string Text(Npgsql.NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? string.Empty : reader.GetInt32(ordinal).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
