using Vna.Codecs.Pixels;
using Vna.Dicom;

namespace Vna.Codecs.Tests;

/// <summary>
/// Our encoded files judged by other implementations, for every syntax we encode, on a generated CT (gen-ct.py, 512×512,
/// 12 of 16 bits) and a real 8-bit RGB secondary capture: dciodvfy (dicom3tools) reports no error the input did not already
/// have; pydicom with the handlers installed here (Pillow for JPEG/JPEG 2000, GDCM for JPEG-LS, its own RLE), OpenJPEG's
/// opj_decompress (JPEG 2000 and HTJ2K codestreams) and DCMTK (dcmdjpls, dcmdrle, dcmdjpeg; DCMTK 3.6.7 has no JPEG 2000)
/// decode them to the pixels we decode: identical for lossless syntaxes (and identical to the input), within one unit for lossy.
/// </summary>
public sealed class PeerValidityTests
{
    private const string RgbSample = "modality/SC_rgb.dcm";

    private static readonly Lazy<Task<byte[]>> s_ct = new(GenerateCtAsync);

    public static readonly TheoryData<string, string> Targets = Build();

    private static TheoryData<string, string> Build()
    {
        var data = new TheoryData<string, string>();
        foreach (var input in new[] { "ct", "rgb" })
        {
            foreach (var ts in new[]
            {
                "1.2.840.10008.1.2.5", "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91", "1.2.840.10008.1.2.4.201",
                "1.2.840.10008.1.2.4.202", "1.2.840.10008.1.2.4.203", "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81",
            })
            {
                data.Add(input, ts);
            }
        }

        data.Add("rgb", "1.2.840.10008.1.2.4.50");
        return data;
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Dciodvfy_reports_no_new_errors(string input, string ts)
    {
        var dciodvfy = PeerTools.Tool("dciodvfy", "dicom3tools");
        var source = await InputAsync(input);
        // As the archive encodes: HTJ2K with the seal's private block, which must not add an error either.
        var (encoded, _) = await TranscodeHarness.TranscodeAsync(source, ts, transcoder: TranscodeHarness.SealingTranscoder);
        if (ts.StartsWith("1.2.840.10008.1.2.4.20", StringComparison.Ordinal))
        {
            using (var sealedFile = await TranscodeHarness.ReadAsync(encoded))
            {
                Assert.Contains(sealedFile.Dataset, item => item.Tag.Group == CodestreamSeal.Group);
            }

            // dicom3tools 2022 (Debian 12) predates the HTJ2K syntaxes and stops at their undefined-length Pixel Data. The
            // encapsulation is that of JPEG 2000, so the data set (lossy attributes, photometric, fragments) is checked under the
            // label of .90 (.91 for lossy .203); the codestreams themselves are checked by opj_decompress below.
            using var file = await TranscodeHarness.ReadAsync(encoded);
            var label = ts == "1.2.840.10008.1.2.4.203" ? DicomTransferSyntax.Jpeg2000 : DicomTransferSyntax.Jpeg2000Lossless;
            file.TransferSyntax = label;
            file.FileMetaInformation.AddOrUpdate(DicomTag.TransferSyntaxUID, label.Uid);
            encoded = await TranscodeHarness.ToBytesAsync(file);
        }

        var before = await ErrorsAsync(dciodvfy, source);
        var after = await ErrorsAsync(dciodvfy, encoded);
        var added = after.Except(before).ToList();
        Assert.True(added.Count == 0, $"dciodvfy finds new errors in our {ts} of {input}:\n{string.Join('\n', added)}");
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Peers_decode_our_file_to_our_pixels(string input, string ts)
    {
        var source = await InputAsync(input);
        var (encoded, result) = await TranscodeHarness.TranscodeAsync(source, ts);
        var (ds, pixels) = await TranscodeHarness.DecodeAsync(encoded);
        var info = TranscodeHarness.InfoOf(ds);
        var ours = TranscodeHarness.Samples(pixels, info, 1);
        if (!result.Lossy)
        {
            var (origDs, origPixels) = await TranscodeHarness.DecodeAsync(source);
            var (max0, first0) = ReferenceDecoder.Compare(TranscodeHarness.Samples(origPixels, TranscodeHarness.InfoOf(origDs), 1), ours);
            Assert.True(max0 == 0, $"our {ts} of {input} does not round-trip: {first0}");
        }

        var tolerance = result.Lossy ? 1 : 0;
        var peers = new List<string>();
        var path = Path.Combine(Path.GetTempPath(), $"vna-validity-{Guid.NewGuid():N}.dcm");
        await File.WriteAllBytesAsync(path, encoded, TestContext.Current.CancellationToken);
        try
        {
            // pydicom: Pillow (JPEG, JPEG 2000), GDCM (JPEG-LS), its RLE handler; no handler here for HTJ2K.
            if (!ts.StartsWith("1.2.840.10008.1.2.4.20", StringComparison.Ordinal))
            {
                var reference = await ReferenceDecoder.PydicomAsync(path, info, 1);
                Assert.True(reference is not null, $"pydicom has no working handler for our {ts} (python3-pil, python3-gdcm)");
                Check("pydicom", reference!);
            }

            if (ts is "1.2.840.10008.1.2.4.80" or "1.2.840.10008.1.2.4.81" or "1.2.840.10008.1.2.5" or "1.2.840.10008.1.2.4.50")
            {
                var tool = ts switch { "1.2.840.10008.1.2.5" => "dcmdrle", "1.2.840.10008.1.2.4.50" => "dcmdjpeg", _ => "dcmdjpls" };
                var (dcmtk, _) = await ReferenceDecoder.DcmtkAsync(tool, path);
                Check(tool, dcmtk);
            }

            if (ts.StartsWith("1.2.840.10008.1.2.4.9", StringComparison.Ordinal) || ts.StartsWith("1.2.840.10008.1.2.4.20", StringComparison.Ordinal))
            {
                Check("opj_decompress", await OpjDecompressAsync(encoded, info));
            }
        }
        finally
        {
            File.Delete(path);
        }

        Assert.NotEmpty(peers);

        void Check(string peer, int[] theirs)
        {
            var (max, first) = ReferenceDecoder.Compare(ours, theirs);
            // JPEG baseline: libjpeg variants may differ by a few units in colour conversion and IDCT rounding.
            var allowed = ts == "1.2.840.10008.1.2.4.50" ? 3 : tolerance;
            Assert.True(max <= allowed, $"{peer} decodes our {ts} of {input} differently (max {max}): {first}");
            peers.Add(peer);
        }
    }

    private static async Task<int[]> OpjDecompressAsync(byte[] encoded, FrameInfo info)
    {
        var opj = PeerTools.Tool("opj_decompress", "libopenjp2-tools");
        using var file = await TranscodeHarness.ReadAsync(encoded);
        var fragments = (DicomFragmentSequence)file.Dataset[DicomTag.PixelData]!;
        var codestream = fragments.Fragments.SelectMany(x => x.InlineValue.ToArray()).ToArray();
        var j2k = Path.Combine(Path.GetTempPath(), $"vna-opj-{Guid.NewGuid():N}.j2k");
        var raw = Path.ChangeExtension(j2k, ".rawl");
        await File.WriteAllBytesAsync(j2k, codestream, TestContext.Current.CancellationToken);
        try
        {
            var (code, stdout, stderr) = await PeerTools.RunAsync(opj, ["-i", j2k, "-o", raw]);
            Assert.True(code == 0, $"opj_decompress failed: {stdout}{stderr}");
            var bytes = await File.ReadAllBytesAsync(raw, TestContext.Current.CancellationToken);
            var result = new int[info.Samples];
            PeerDecodeTests.ReadPlanarRaw(bytes, info, result);
            return result;
        }
        finally
        {
            File.Delete(j2k);
            File.Delete(raw);
        }
    }

    private static async Task<HashSet<string>> ErrorsAsync(string dciodvfy, byte[] bytes)
    {
        var path = Path.Combine(Path.GetTempPath(), $"vna-dciodvfy-{Guid.NewGuid():N}.dcm");
        await File.WriteAllBytesAsync(path, bytes, TestContext.Current.CancellationToken);
        try
        {
            var (_, stdout, stderr) = await PeerTools.RunAsync(dciodvfy, [path]);
            return (stdout + "\n" + stderr).Split('\n')
                .Select(l => l.Trim())
                .Where(l => l.StartsWith("Error", StringComparison.Ordinal))
                .ToHashSet(StringComparer.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<byte[]> InputAsync(string input) => input == "ct"
        ? await s_ct.Value
        : await File.ReadAllBytesAsync(Vna.Tests.Shared.TestSamples.PathOf(RgbSample), TestContext.Current.CancellationToken);

    /// <summary>One slice from the project's CT generator (../shared/tools/dicom/gen-ct.py), made once per run.</summary>
    private static async Task<byte[]> GenerateCtAsync()
    {
        var root = Vna.Tests.Shared.TestSamples.PathOf("MANIFEST.tsv");
        var script = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(root)!)!, "tools", "dicom", "gen-ct.py");
        Assert.SkipUnless(File.Exists(script), $"the CT generator {script} is absent");
        var dir = Directory.CreateTempSubdirectory("vna-genct-");
        try
        {
            var (code, stdout, stderr) = await PeerTools.RunAsync(PeerTools.Python, [script, "--out", dir.FullName, "--studies", "1", "--instances", "1", "--flat", "-q", "--seed", "6"]);
            Assert.True(code == 0, $"gen-ct.py failed: {stdout}{stderr}");
            return await File.ReadAllBytesAsync(Directory.EnumerateFiles(dir.FullName, "*.dcm", SearchOption.AllDirectories).Single());
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
