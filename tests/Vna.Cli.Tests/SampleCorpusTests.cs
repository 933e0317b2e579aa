using System.Text.Json;
using System.Text.RegularExpressions;
using Vna.Cli.Dump;
using Vna.Dicom;

namespace Vna.Cli.Tests;

/// <summary>
/// The issue's acceptance tests over ../shared/dicom-samples (MANIFEST.tsv): every file parses, or fails with the clear
/// error its manifest note predicts; and every parseable file reads as pydicom 2.3.1 reads it (same tags, VRs and values,
/// text decoded alike), compared through the canonical form of tests/tools/pydicom_dump.py and <c>vna dump --canonical</c>.
/// </summary>
[Collection(SampleCorpusCollection.Name)]
public sealed partial class SampleCorpusTests
{
    /// <summary>A rejected file may cost this much; the 3 GB one must not cost its declared length.</summary>
    private const long MaxAllocationForRejectedFile = 64L * 1024 * 1024;

    private static readonly DicomTag PixelData = new(0x7FE0, 0x0010);

    /// <summary>Files whose notes predict that reading fails ("truncated", "cut short"), and the element the error must name.</summary>
    private static readonly Dictionary<string, DicomTag> ExpectedFailures = new(StringComparer.Ordinal)
    {
        ["malformed/3gb-bulk-data-truncated.dcm"] = PixelData,
        ["malformed/MR_truncated.dcm"] = PixelData,
        ["malformed/emri_small_jpeg_2k_lossless_too_short.dcm"] = PixelData,
    };

    /// <summary>
    /// Known, explained divergences from pydicom: each a case where pydicom 2.3.1 is wrong. With a tag, the element must
    /// read as <see cref="AllowedDivergence.Vr"/> and <see cref="AllowedDivergence.Value"/> (our canonical value) wherever it
    /// differs; without one, the file is not compared at all.
    /// </summary>
    private static readonly AllowedDivergence[] Allowed =
    [
        new("charset/chrGB2312.dcm", 0x00100010, "PN", """["Zhang^XiaoDong=张^小东"]""",
            "pydicom leaves the ESC $ ) A designations (GB2312 into G1, ISO 2022 IR 58) in the decoded name: \"=\\u001b$)A张^\\u001b$)A小东\"."),
        new("malformed/Tag-0040-A170-VR-CS.dcm", 0x0040A170, "UN", """{"length":10,"sha256":"08ced29abb297ef9c822cd82f21b3cb0d4fc76d6a552b205be4b077b5f499311"}""",
            "Implicit VR: the dictionary says SQ, but the 10-byte value holds no items (it is the retired trial CS 'NAMED TYPE'); "
            + "pydicom makes a sequence of one empty item of it, Vna keeps the bytes as UN and warns."),
        new("no-meta/no_preamble_dicm_in_data.dcm", null, null, null,
            "pydicom takes bytes 128-131 (\"DICM\" inside a value) for the Part 10 prefix and reads implicit VR from byte 132; the "
            + "file is a bare explicit VR little endian data set (dcmdump -f reads it as Vna does, see DcmtkComparisonTests)."),
    ];

    public static IEnumerable<TheoryDataRow<string>> ManifestFiles() => Samples.ManifestFiles();

    [Fact]
    public void Every_file_of_the_sample_folder_is_in_the_manifest()
    {
        var directory = Samples.Require();
        var listed = Samples.Manifest.Select(r => r.File).ToHashSet(StringComparer.Ordinal);
        var unlisted = System.IO.Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(directory, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(f => f != "MANIFEST.tsv" && !f.StartsWith("LICENSES/", StringComparison.Ordinal) && !listed.Contains(f))
            .ToList();
        Assert.True(unlisted.Count == 0, "Files not in MANIFEST.tsv (so not covered): " + string.Join(", ", unlisted));
        Assert.All(listed, f => Assert.True(File.Exists(Samples.PathOf(f)), $"{f} is in MANIFEST.tsv but missing"));
    }

    [Fact]
    public void The_expected_failures_are_the_files_whose_notes_predict_one()
    {
        Samples.Require();
        var predicted = Samples.Manifest
            .Where(r => PredictsFailure().IsMatch(r.Notes))
            .Select(r => r.File)
            .Order(StringComparer.Ordinal);
        Assert.Equal(ExpectedFailures.Keys.Order(StringComparer.Ordinal), predicted);
    }

    [Theory]
    [MemberData(nameof(ManifestFiles))]
    public async Task Sample_parses_or_fails_as_its_manifest_note_predicts(string file)
    {
        var path = Samples.PathOf(file);
        var row = Samples.Row(file);
        var ct = TestContext.Current.CancellationToken;
        if (ExpectedFailures.TryGetValue(file, out var tag))
        {
            var before = GC.GetTotalAllocatedBytes(precise: true);
            var error = await Assert.ThrowsAsync<DicomReadException>(() => DicomReader.ReadFileAsync(path, cancellationToken: ct));
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

            Assert.True(allocated < MaxAllocationForRejectedFile, $"Rejecting {file} allocated {allocated:N0} bytes.");
            Assert.Equal(tag, error.Tag);
            Assert.InRange(error.Offset, 1, new FileInfo(path).Length);
            Assert.Matches(NamesTheProblem(), error.Message);
            Assert.Contains("at byte", error.Message, StringComparison.Ordinal);
            return;
        }

        using var dicom = await DicomReader.ReadFileAsync(path, cancellationToken: ct);
        Assert.NotEqual(0, dicom.Dataset.Count);
        // The column may carry a remark after the UID: "1.2.840.10008.1.2 (inferred by dcmdump, no meta)".
        Assert.Equal(row.TransferSyntaxUid.Split(' ')[0], dicom.TransferSyntax.Uid);
        if (row.SopClassUid is not ("n/a" or "(none)"))
        {
            var sopClass = dicom.Dataset.GetString(new DicomTag(0x0008, 0x0016))
                ?? dicom.FileMetaInformation.GetString(new DicomTag(0x0002, 0x0002));
            Assert.Equal(row.SopClassUid, sopClass);
        }

        // The canonical form touches every value (decoding text, hashing bulk data): it must not throw either.
        Assert.StartsWith("{", CanonicalDumper.ToJson(path, dicom), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ManifestFiles))]
    public async Task Sample_reads_as_pydicom_reads_it(string file)
    {
        var path = Samples.PathOf(file);
        if (ExpectedFailures.ContainsKey(file))
        {
            Assert.Skip("Vna rejects the file, as its manifest note predicts: nothing to compare.");
        }

        var whole = Allowed.FirstOrDefault(a => a.File == file && a.Tag is null);
        if (whole is not null)
        {
            Assert.Skip("Not compared with pydicom: " + whole.Reason);
        }

        var theirs = await PydicomLine(file);
        using var dicom = await DicomReader.ReadFileAsync(path, cancellationToken: TestContext.Current.CancellationToken);
        using var ours = JsonDocument.Parse(CanonicalDumper.ToJson(path, dicom));

        var differences = CanonicalComparison.Compare(ours.RootElement, theirs);
        var unexplained = differences.Where(d => !IsAllowed(file, d)).ToList();
        Assert.True(
            unexplained.Count == 0,
            $"{file}: {unexplained.Count} difference(s) from pydicom; the first: {unexplained.FirstOrDefault()}"
            + string.Concat(unexplained.Skip(1).Take(9).Select(d => "\n  " + d)));
    }

    [Fact]
    public async Task Every_allowed_divergence_still_occurs()
    {
        var directory = Samples.Require();
        foreach (var allowed in Allowed.Where(a => a.Tag is not null))
        {
            var path = Path.Combine(directory, allowed.File);
            var theirs = await PydicomLine(allowed.File);
            using var dicom = await DicomReader.ReadFileAsync(path, cancellationToken: TestContext.Current.CancellationToken);
            using var ours = JsonDocument.Parse(CanonicalDumper.ToJson(path, dicom));
            var differences = CanonicalComparison.Compare(ours.RootElement, theirs);
            Assert.True(
                differences.Any(d => d.Tag == allowed.Tag && IsAllowed(allowed.File, d)),
                $"The allow-list entry for {allowed.File} {allowed.Tag:X8} no longer matches a difference: remove it.");
        }
    }

    private static async Task<JsonElement> PydicomLine(string file)
    {
        var reference = await PydicomReference.GetAsync();
        if (reference.Lines is null)
        {
            Assert.Skip(reference.Unavailable ?? "pydicom is unavailable.");
        }

        Assert.True(reference.Lines.TryGetValue(file, out var theirs), $"pydicom_dump.py printed no line for {file}.");
        if (theirs.TryGetProperty("error", out var error))
        {
            Assert.Skip($"pydicom 2.3.1 cannot read it, so there is nothing to compare: {error.GetString()}");
        }

        return theirs;
    }

    private static bool IsAllowed(string file, CanonicalComparison.Difference difference)
    {
        foreach (var allowed in Allowed)
        {
            if (allowed.File != file || allowed.Tag is null || allowed.Tag != difference.Tag || difference.OurElement is not { } element)
            {
                continue;
            }

            using var expected = JsonDocument.Parse(allowed.Value!);
            if (element.GetProperty("vr").GetString() == allowed.Vr
                && CanonicalComparison.JsonEquals(element.GetProperty("value"), expected.RootElement))
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex(@"truncated|cut short", RegexOptions.IgnoreCase)]
    private static partial Regex PredictsFailure();

    /// <summary>What a message about a truncated file says: the input ends early, or a length exceeds what is left.</summary>
    [GeneratedRegex(@"truncated|ends inside|exceeds the \d+ bytes left", RegexOptions.IgnoreCase)]
    private static partial Regex NamesTheProblem();

    private sealed record AllowedDivergence(string File, uint? Tag, string? Vr, string? Value, string Reason);
}
