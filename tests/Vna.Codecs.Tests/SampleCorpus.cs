using Vna.Dicom;
using Vna.Tests.Shared;

namespace Vna.Codecs.Tests;

/// <summary>The shared samples (MANIFEST.tsv) that hold pixel data the codecs can work on: 8- or 16-bit, 1 or 3 samples.</summary>
internal static class SampleCorpus
{
    private static readonly Lazy<IReadOnlyList<(string File, string Syntax)>> s_compressible = new(Find);

    public const string Absent = "(no samples)";

    public static IReadOnlyList<(string File, string Syntax)> Compressible => s_compressible.Value;

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var (file, _) in Compressible)
        {
            data.Add(file);
        }

        if (data.Count == 0)
        {
            data.Add(Absent);
        }

        return data;
    }

    public static string PathOf(string file)
    {
        if (file == Absent)
        {
            TestSamples.PathOf("MANIFEST.tsv");
            Assert.Skip("No compressible sample found in the sample corpus.");
        }

        return TestSamples.PathOf(file);
    }

    private static List<(string, string)> Find()
    {
        var root = TestSamples.Root;
        var result = new List<(string, string)>();
        if (root is null || !File.Exists(Path.Combine(root, "MANIFEST.tsv")))
        {
            return result;
        }

        foreach (var line in File.ReadLines(Path.Combine(root, "MANIFEST.tsv")).Skip(1))
        {
            var columns = line.Split('\t');
            if (columns.Length < 5 || columns[0].StartsWith("malformed/", StringComparison.Ordinal))
            {
                continue;
            }

            try
            {
                using var file = DicomReader.ReadFileAsync(Path.Combine(root, columns[0])).GetAwaiter().GetResult();
                var ds = file.Dataset;
                var bits = ds.GetValue<int>(DicomTag.BitsAllocated);
                var spp = ds.GetValue<int>(DicomTag.SamplesPerPixel) ?? 1;
                var photometric = ds.GetString(DicomTag.PhotometricInterpretation)?.Trim();
                if (ds.Contains(DicomTag.PixelData) && TranscodeHarness.Transcoder.CanTranscode(file.TransferSyntax.Uid, DicomTransferSyntax.ExplicitVRLittleEndian.Uid) && bits is 8 or 16 && spp is 1 or 3 && photometric is not null
                    && (file.TransferSyntax.IsEncapsulated || !photometric.StartsWith("YBR_FULL_422", StringComparison.Ordinal)))
                {
                    result.Add((columns[0], file.TransferSyntax.Uid));
                }
            }
            catch (Exception ex) when (ex is DicomReadException or DicomDataException or IOException or InvalidDataException)
            {
                // Unreadable samples belong to the bad-input tests.
            }
        }

        return result;
    }
}
