using System.Text.RegularExpressions;
using Vna.Dicom;

namespace Vna.Cli.Tests;

/// <summary>
/// The top-level tags (File Meta Information and data set) Vna reads equal those DCMTK's dcmdump lists, for every sample
/// both read. This covers the files pydicom cannot read (big endian with an undefined-length UN, a Specific Character Set
/// stored as UN) and the bare data set whose bytes 128-131 read "DICM".
/// </summary>
public sealed partial class DcmtkComparisonTests
{
    private const string Dcmdump = "/usr/bin/dcmdump";

    public static IEnumerable<TheoryDataRow<string>> ManifestFiles() => Samples.ManifestFiles();

    [Theory]
    [MemberData(nameof(ManifestFiles))]
    public async Task Top_level_tags_equal_dcmdumps(string file)
    {
        var path = Samples.PathOf(file);
        if (!File.Exists(Dcmdump))
        {
            Assert.Skip($"{Dcmdump} (DCMTK) is not installed.");
        }

        var ct = TestContext.Current.CancellationToken;
        DicomFile dicom;
        try
        {
            dicom = await DicomReader.ReadFileAsync(path, cancellationToken: ct);
        }
        catch (DicomReadException ex)
        {
            Assert.Skip("Vna rejects the file (see SampleCorpusTests): " + ex.Message);
            return;
        }

        using (dicom)
        {
            // -f reads a bare data set; without it dcmdump takes a "DICM" at byte 128 for the Part 10 prefix.
            string[] arguments = dicom.HasFileMetaInformation || dicom.HasPreamble ? ["-q", "+L", path] : ["-q", "+L", "-f", path];
            var (exit, output, error) = await ProcessRunner.RunAsync(Dcmdump, arguments, TimeSpan.FromMinutes(1), ct);
            if (exit != 0)
            {
                Assert.Skip($"dcmdump cannot read it (exit code {exit}): {error.Trim()}");
            }

            var theirs = TopLevelTag().Matches(output)
                .Select(m => m.Groups[1].Value.ToUpperInvariant() + m.Groups[2].Value.ToUpperInvariant())
                .Where(t => !t.StartsWith("FFFE", StringComparison.Ordinal))
                .ToHashSet(StringComparer.Ordinal);
            var ours = dicom.FileMetaInformation.Concat(dicom.Dataset).Select(i => i.Tag.ToJsonKey()).ToHashSet(StringComparer.Ordinal);

            var onlyOurs = ours.Except(theirs).Order(StringComparer.Ordinal).ToList();
            var onlyTheirs = theirs.Except(ours).Order(StringComparer.Ordinal).ToList();
            Assert.True(
                onlyOurs.Count == 0 && onlyTheirs.Count == 0,
                $"{file}: tags only Vna reads: [{string.Join(", ", onlyOurs)}]; tags only dcmdump lists: [{string.Join(", ", onlyTheirs)}]");
        }
    }

    [GeneratedRegex(@"^\(([0-9a-f]{4}),([0-9a-f]{4})\)", RegexOptions.Multiline)]
    private static partial Regex TopLevelTag();
}
