using System.Diagnostics;

namespace Vna.Dicom.Tests;

/// <summary>
/// Every readable sample of the shared corpus is written in each transfer syntax it can be written in (its own, and the
/// four uncompressed ones when its pixel data is native), read back, and compared element by element; DCMTK's dcmdump
/// must read each written file without an error.
/// </summary>
public sealed class SampleRoundTripTests
{
    private static readonly string[] NativeSyntaxes =
    [
        "1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2", "1.2.840.10008.1.2.1.99",
    ];

    public static TheoryData<string> Samples()
    {
        var data = new TheoryData<string>();
        var root = TestSamples.Root;
        if (root is null)
        {
            data.Add("(corpus absent)");
            return data;
        }

        foreach (var line in File.ReadLines(Path.Combine(root, "MANIFEST.tsv")).Skip(1))
        {
            var file = line.Split('\t')[0];
            if (!file.StartsWith("malformed/", StringComparison.Ordinal) && file.Length > 0)
            {
                data.Add(file);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Sample_round_trips_through_every_writable_transfer_syntax(string sample)
    {
        var path = TestSamples.PathOf(sample);
        var ct = TestContext.Current.CancellationToken;
        using var original = await DicomReader.ReadFileAsync(path, cancellationToken: ct);
        var encapsulated = original.Dataset[new DicomTag(0x7FE0, 0x0010)] is DicomFragmentSequence;
        var targets = encapsulated ? [original.TransferSyntax.Uid] : NativeSyntaxes.Append(original.TransferSyntax.Uid).Distinct().ToArray();

        foreach (var uid in targets)
        {
            var syntax = DicomTransferSyntax.Parse(uid);
            var output = Path.Combine(Path.GetTempPath(), $"vna-rt-{Guid.NewGuid():N}.dcm");
            try
            {
                var meta = original.FileMetaInformation.Clone();
                meta.Remove(new DicomTag(0x0002, 0x0010));
                if (!meta.Contains(new DicomTag(0x0002, 0x0002)) && original.Dataset.Contains(new DicomTag(0x0008, 0x0016)) is false)
                {
                    meta.AddOrUpdate(new DicomTag(0x0002, 0x0002), DicomVR.UI, "1.2.840.10008.5.1.4.1.1.7");
                }

                if (!original.Dataset.Contains(new DicomTag(0x0008, 0x0018)) && !meta.Contains(new DicomTag(0x0002, 0x0003)))
                {
                    meta.AddOrUpdate(new DicomTag(0x0002, 0x0003), DicomVR.UI, "1.2.3.4.5");
                }

                using (var target = new DicomFile(meta, original.Dataset, syntax))
                {
                    await DicomWriter.WriteFileAsync(output, target, cancellationToken: ct);
                }

                using var reread = await DicomReader.ReadFileAsync(output, cancellationToken: ct);
                Assert.Equal(uid, reread.TransferSyntax.Uid);
                DatasetComparer.AssertEqual(original.Dataset, reread.Dataset, compareVRs: syntax.IsExplicitVR, context: $"{sample} as {syntax.Name}");
                AssertDcmdumpReads(output, $"{sample} as {syntax.Name}");
            }
            finally
            {
                File.Delete(output);
            }
        }
    }

    private static void AssertDcmdumpReads(string path, string context)
    {
        if (!File.Exists("/usr/bin/dcmdump"))
        {
            return; // the DCMTK comparison is in WriterTests, which skips with a message when DCMTK is absent
        }

        var psi = new ProcessStartInfo("/usr/bin/dcmdump", ["+L", path])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        _ = stdout.Result;
        Assert.True(process.ExitCode == 0, $"{context}: dcmdump exit {process.ExitCode}: {stderr}");
        Assert.True(!stderr.Contains("E:", StringComparison.Ordinal) && !stderr.Contains("W:", StringComparison.Ordinal), $"{context}: dcmdump said: {stderr}");
    }
}
