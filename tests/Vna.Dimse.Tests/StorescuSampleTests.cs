using System.Globalization;
using Vna.Dicom;
using Vna.Dicom.Network.Tests;

namespace Vna.Dimse.Tests;

/// <summary>DCMTK storescu sends every storable sample of ../shared/dicom-samples with its own transfer syntax proposed.</summary>
[Collection(DimseCollection.Name)]
public sealed class StorescuSampleTests(DimseServerFixture server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The samples whose SOP class is a storage class (or a private one) per MANIFEST.tsv: path, SOP class, transfer syntax.</summary>
    public static IReadOnlyList<(string Path, string SopClassUid, string TransferSyntaxUid)> StorableSamples()
    {
        var root = TestSamples.Root;
        if (root is null)
        {
            Assert.Skip("../shared/dicom-samples is not beside the repository (nor $VNA_SHARED_DIR/dicom-samples): sample test skipped.");
        }

        var samples = new List<(string, string, string)>();
        foreach (var line in File.ReadLines(Path.Combine(root, "MANIFEST.tsv")).Skip(1))
        {
            var columns = line.Split('\t');
            if (columns.Length < 5 || !DicomUid.IsValid(columns[3]) || !DicomUid.IsValid(columns[4]))
            {
                continue;
            }

            var known = DicomUid.Lookup(columns[3]);
            if (known is not null && !known.IsStorageSopClass)
            {
                continue;
            }

            samples.Add((Path.Combine(root, columns[0]), columns[3], columns[4]));
        }

        return samples;
    }

    private const string NoStudyInstanceUid = "no Study Instance UID (0020,000D), a Type 1 attribute of the General Study module the archive is keyed by";
    private const string InvalidSopInstanceUid = "a SOP Instance UID that is not a UID (hexadecimal letters; PS3.5 9.1 allows digits and dots only)";

    /// <summary>Samples that are not valid storable objects: the archive answers 0xA900 with a comment naming the defect.</summary>
    private static readonly Dictionary<string, string> s_invalidSamples = new(StringComparer.Ordinal)
    {
        ["malformed/bad_sequence.dcm"] = InvalidSopInstanceUid,
        ["private/GH487_last_private_SQ_empty_items.dcm"] = NoStudyInstanceUid,
        ["transfer-syntax/jpeg-ls-lossless/JLSL_16_15_1_1F.dcm"] = NoStudyInstanceUid,
    };

    [Fact]
    public async Task Every_storable_sample_is_stored_as_received_and_indexed()
    {
        server.RequireServer();
        PeerTool.Require("storescu");
        var samples = StorableSamples();
        Assert.NotEmpty(samples);
        var failures = new List<string>();
        var log = new System.Text.StringBuilder();
        var unsendable = new List<string>();
        var refused = new List<string>();
        foreach (var (path, sopClass, syntax) in samples)
        {
            if (ProposeOption(syntax) is null)
            {
                // storescu has no option that proposes this syntax (HTJ2K, JPEG XL, process 14 JPEG...): it would convert.
                unsendable.Add(Path.GetFileName(path));
                continue;
            }

            var clock = System.Diagnostics.Stopwatch.StartNew();
            int exit;
            string output;
            try
            {
                (exit, output) = await PeerTool.RunAsync(
                    "storescu",
                    ["-v", "-R", ProposeOption(syntax)!, "-aet", "STORESCU", "-aec", DimseServerFixture.AeTitle, "127.0.0.1", server.Port.ToString(CultureInfo.InvariantCulture), path],
                    TimeSpan.FromSeconds(20),
                    Ct);
            }
            catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
            {
                failures.Add($"{Path.GetRelativePath(TestSamples.Root!, path)}: storescu did not finish within 20 s\n{server.Server.LogTail(10)}");
                continue;
            }

            log.AppendLine(CultureInfo.InvariantCulture, $"{clock.ElapsedMilliseconds} ms {path} exit {exit}");
            var sopInstance = ReadSopInstanceUid(path);
            var row = await server.Database.QueryAsync(
                "SELECT transfer_syntax_uid, location, sop_class_uid FROM instance WHERE sop_instance_uid = '" + sopInstance.Replace("'", "''", StringComparison.Ordinal) + "'",
                r => (Syntax: r.GetString(0), Location: r.GetString(1), SopClass: r.GetString(2)),
                Ct);
            var name = Path.GetRelativePath(TestSamples.Root!, path);
            if (exit == 1 && output.Contains("F: ", StringComparison.Ordinal) && output.Contains("checking input files", StringComparison.Ordinal))
            {
                // storescu itself refuses the file (unreadable, or a private SOP class it does not know): nothing was sent.
                unsendable.Add(name);
                continue;
            }

            if (output.Contains("Received Store Response (Error", StringComparison.Ordinal) && row.Count == 0)
            {
                // The Store feature's validation refused it with a failure status: legitimate, nothing indexed; listed below.
                refused.Add(name);
                continue;
            }

            if (exit != 0 || !output.Contains("Received Store Response (Success)", StringComparison.Ordinal) || row.Count != 1)
            {
                failures.Add($"{name}: exit {exit}, {row.Count} index rows\n{Tail(output)}");
                continue;
            }

            if (row[0].Syntax != syntax || row[0].SopClass != sopClass)
            {
                failures.Add($"{name}: stored as {row[0].SopClass} in {row[0].Syntax}, sent {sopClass} in {syntax}");
                continue;
            }

            // The stored object holds the sample's data set, element for element and value for value (storescu re-encodes
            // what it sends, so bytes may differ in group lengths and sequence length encoding, never in content).
            var original = await ContentAsync(path);
            var stored = await ContentAsync(Path.Combine(server.DataDirectory, "hot", row[0].Location));
            if (original != stored)
            {
                failures.Add($"{name}: the stored data set differs from the sample's");
                await File.WriteAllTextAsync(Path.Combine(Path.GetTempPath(), Path.GetFileName(path) + ".original.json"), original, Ct);
                await File.WriteAllTextAsync(Path.Combine(Path.GetTempPath(), Path.GetFileName(path) + ".stored.json"), stored, Ct);
            }
        }

        await File.WriteAllTextAsync(Path.Combine(Path.GetTempPath(), "vna-storescu-samples.log"), log.ToString(), Ct);
        Assert.True(failures.Count == 0, $"{failures.Count} of {samples.Count} samples:\n" + string.Join("\n", failures));
        // The samples refused with 0xA900 are exactly those that are not archivable objects, each for its stated reason,
        // which is checked on the sample itself.
        Assert.Equal(s_invalidSamples.Keys.Order(StringComparer.Ordinal), refused.Order(StringComparer.Ordinal));
        foreach (var (name, reason) in s_invalidSamples)
        {
            using var sample = await DicomReader.ReadFileAsync(Path.Combine(TestSamples.Root!, name), new DicomReaderOptions { BulkDataThreshold = 256 }, Ct);
            var study = sample.Dataset.GetString(DicomTag.StudyInstanceUID);
            var instance = sample.Dataset.GetString(DicomTag.SOPInstanceUID);
            Assert.True(
                reason == NoStudyInstanceUid ? string.IsNullOrEmpty(study) : !DicomUid.IsValid(instance ?? ""),
                $"{name} was expected to be refused because it has {reason}, but its Study Instance UID is '{study}' and its SOP Instance UID '{instance}'");
        }

        TestContext.Current.SendDiagnosticMessage($"{samples.Count - unsendable.Count - refused.Count} stored and checked; refused by validation: {string.Join(", ", refused)}; not sendable by storescu: {string.Join(", ", unsendable)}");
        Assert.True(unsendable.Count < samples.Count / 4, "storescu can propose too few of the samples' syntaxes: " + string.Join(", ", unsendable));
        await server.AssertIndexIsWholeAsync(Ct);
    }

    /// <summary>The storescu option that proposes <paramref name="syntax"/> first, or null when it has none.</summary>
    public static string? ProposeOption(string syntax) => syntax switch
    {
        "1.2.840.10008.1.2" => "-xi",
        "1.2.840.10008.1.2.1" => "-xe",
        "1.2.840.10008.1.2.2" => "-xb",
        "1.2.840.10008.1.2.1.99" => "-xd",
        "1.2.840.10008.1.2.4.50" => "-xy",
        "1.2.840.10008.1.2.4.51" => "-xx",
        "1.2.840.10008.1.2.4.70" => "-xs",
        "1.2.840.10008.1.2.4.80" => "-xt",
        "1.2.840.10008.1.2.4.81" => "-xu",
        "1.2.840.10008.1.2.4.90" => "-xv",
        "1.2.840.10008.1.2.4.91" => "-xw",
        "1.2.840.10008.1.2.5" => "-xr",
        _ => null,
    };

    /// <summary>The data set without group lengths, as DICOM JSON with every value inline.</summary>
    internal static async Task<string> ContentAsync(string path)
    {
        using var file = await DicomReader.ReadFileAsync(path, new DicomReaderOptions { BulkDataThreshold = int.MaxValue }, Ct);
        var dataset = file.Dataset.Clone();

        // What storescu changes when it re-encodes: group lengths, trailing padding (FFFC,FFFC), the VR of encapsulated pixel
        // data (OB), an odd-length value's padding byte. Pixel data is compared by its bytes without the padding.
        foreach (var tag in dataset.Select(e => e.Tag).Where(t => t.IsGroupLength || t == new DicomTag(0xFFFC, 0xFFFC)).ToList())
        {
            dataset.Remove(tag);
        }

        var pixels = "";
        if (dataset.Contains(DicomTag.PixelData))
        {
            var only = new DicomDataset([dataset.Select(e => e).First(e => e.Tag == DicomTag.PixelData)]);
            using var json = System.Text.Json.JsonDocument.Parse(DicomJson.Serialize(only));
            var value = json.RootElement.GetProperty("7FE00010");
            var bytes = value.TryGetProperty("InlineBinary", out var inline) ? Convert.FromBase64String(inline.GetString()!) : [];
            var length = bytes.Length > 0 && bytes[^1] == 0 ? bytes.Length - 1 : bytes.Length;
            pixels = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes.AsSpan(0, length)));
            dataset.Remove(DicomTag.PixelData);
        }

        return DicomJson.Serialize(dataset) + pixels;
    }

    private static string Tail(string output) => string.Join('\n', output.Split('\n').TakeLast(6));

    private static string ReadSopInstanceUid(string path)
    {
        using var file = DicomReader.ReadFileAsync(path, new DicomReaderOptions { BulkDataThreshold = 1024, StopAtTag = new DicomTag(0x0008, 0x0019) }).GetAwaiter().GetResult();
        return file.Dataset.GetString(DicomTag.SOPInstanceUID) ?? "";
    }
}
