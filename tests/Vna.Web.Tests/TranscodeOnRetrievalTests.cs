using System.Diagnostics;
using System.Globalization;
using System.Net;
using Vna.Codecs;
using Vna.Dicom;
using Vna.Testing;

namespace Vna.Web.Tests;

/// <summary>
/// Transcoding on retrieval through the running archive (the built Vna.Server with its codecs, AddVnaCodecs): an
/// uncompressed CT asked for by WADO-RS as JPEG 2000, HTJ2K or JPEG-LS comes back in that syntax and decodes — by
/// opj_decompress (OpenJPEG) or DCMTK's dcmdjpls, not by our code — to the stored pixels; a JPEG-LS object, stored as
/// sent, reaches a DCMTK storescp that accepts only Implicit VR Little Endian (C-MOVE) and a getscu that accepts only
/// that (C-GET) decoded, with the pixels dcmdjpls decodes from the original. The HTJ2K answer carries the server's codestream
/// seal.
/// </summary>
public sealed class TranscodeOnRetrievalTests
{
    private const string CallingAeTitle = "CODECS";
    private const string DestinationAeTitle = "STORESCP";
    private const string JpegLsSample = "transfer-syntax/jpeg-ls-lossless/CT1_UNC.fragmented_bot_jpeg_ls.80.dcm";

    [Fact]
    public async Task Retrieval_transcodes_to_what_the_client_accepts()
    {
        var ct = TestContext.Current.CancellationToken;
        var samples = Path.GetFullPath(Path.Combine(RepositoryPaths.Root, "..", "shared", "dicom-samples"));
        var (admin, problem) = await TestPostgres.GetAsync();
        var missing = admin is null ? $"PostgreSQL is not available: {problem}"
            : NetworkNamespace.Unavailable() is { } ns ? $"no loopback-only network namespace ({ns})"
            : new[] { "movescu", "getscu", "storescp", "dcmdjpls", "opj_decompress" }.FirstOrDefault(t => DimseInteropTests.Tool(t) is null) is { } tool ? $"{tool} is missing (dcmtk, libopenjp2-tools)"
            : !File.Exists(Path.Combine(samples, JpegLsSample)) ? $"{JpegLsSample} is not in ../shared/dicom-samples"
            : null;
        if (missing is not null)
        {
            Assert.SkipWhen(!TestPostgres.InCi, missing);
            Assert.Fail("CI=true, so this fails rather than skips: " + missing);
        }

        using var scratch = new ScratchFolder("web-transcode");
        using var network = NetworkNamespace.Create();
        await using var database = await TestDatabase.CreateAsync(admin!, "vna_web", ct);
        var storePort = FreePorts.Next();
        var settings = await QueryRetrieveInteropTests.SettingsAsync("web-transcode", database, scratch, network, CallingAeTitle, DestinationAeTitle, storePort, ct);
        await using var server = await ServerProcess.StartAsync(settings, ct);
        using var http = network.CreateHttpClient(TimeSpan.FromMinutes(2));
        var dicomWeb = new Uri(server.BaseAddress, "dicomweb/");

        // An uncompressed CT and the JPEG-LS sample, stored as sent.
        var ctInstance = SyntheticCt.CreateStudy(961, 1, 1)[0];
        var jlsBytes = await File.ReadAllBytesAsync(Path.Combine(samples, JpegLsSample), ct);
        var stored = await StowClient.StoreAsync(http, dicomWeb, [await SyntheticCt.EncodeAsync(ctInstance, ct), jlsBytes], ct);
        Assert.True(stored.Status == HttpStatusCode.OK, stored + " " + string.Join(" | ", stored.Warnings));
        var ctDataset = SyntheticCt.ToDataset(ctInstance);
        var ctPixels = Samples(ctDataset.GetElement(DicomTag.PixelData)!.InlineValue.ToArray(), 12);

        // WADO-RS: the CT as JPEG 2000 lossless, HTJ2K lossless and JPEG-LS lossless, decoded by peers.
        foreach (var syntax in new[] { "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.201", "1.2.840.10008.1.2.4.80" })
        {
            var accept = $"multipart/related; type=\"application/dicom\"; transfer-syntax={syntax}";
            var url = new Uri(dicomWeb, $"studies/{ctInstance.Study.StudyInstanceUid}/series/{ctInstance.SeriesInstanceUid}/instances/{ctInstance.SopInstanceUid}");
            var answer = await StowClient.GetAsync(http, url, ct, accept);
            Assert.True(answer.Status == HttpStatusCode.OK, $"{syntax}: {answer}\n{server.LogTail(20)}");
            var part = Assert.Single(MultipartBody.Parse(answer.Body, answer.ContentType!));
            Assert.Contains($"transfer-syntax={syntax}", part.ContentType, StringComparison.Ordinal);
            var path = Path.Combine(scratch.Path, $"wado-{syntax}.dcm");
            await File.WriteAllBytesAsync(path, part.Body, ct);
            using var file = await DicomReader.ReadFileAsync(path, new DicomReaderOptions { BulkDataThreshold = int.MaxValue }, ct);
            Assert.Equal(syntax, file.TransferSyntax.Uid);
            if (syntax == "1.2.840.10008.1.2.4.201")
            {
                // The server seals its HTJ2K encodes under the key it made in its data folder on first start.
                var keyFile = Path.Combine(settings.DataDirectory, "keys", "codestream-seal.key");
                Assert.True(File.Exists(keyFile), $"the server made no seal key at {keyFile}");
                Assert.NotNull(CodestreamSeal.LoadOrCreate(keyFile).Read(file.Dataset, 1));
            }

            var decoded = syntax == "1.2.840.10008.1.2.4.80"
                ? await DcmdjplsAsync(path, scratch.Path, ct)
                : await OpjDecompressAsync(file, scratch.Path, ct);
            Assert.True(Samples(decoded, 12).SequenceEqual(ctPixels), $"{syntax} from WADO-RS does not decode to the stored pixels");
        }

        var jlsReference = await DcmdjplsAsync(Path.Combine(samples, JpegLsSample), scratch.Path, ct);
        using var jlsOriginal = await DicomReader.ReadFileAsync(Path.Combine(samples, JpegLsSample), null, ct);
        var jlsStudy = jlsOriginal.Dataset.GetString(DicomTag.StudyInstanceUID)!;
        var dimsePort = settings.DimsePort.ToString(CultureInfo.InvariantCulture);

        // C-MOVE to a storescp that accepts Implicit VR Little Endian only: the JPEG-LS object arrives decoded.
        var received = scratch.Sub("moved");
        string? moved = "movescu did not run";
        var storescp = Process.Start(QueryRetrieveInteropTests.Redirected(network.Wrap("storescp", "-v", "+xi", "-aet", DestinationAeTitle, "-od", received,
            storePort.ToString(CultureInfo.InvariantCulture))))!;
        try
        {
            await QueryRetrieveInteropTests.WaitForPortAsync(network, storePort, ct);
            var move = await QueryRetrieveInteropTests.RunAsync(network, scratch.Path, "movescu", "-S", "-aet", CallingAeTitle, "-aec", "VNA",
                "-aem", DestinationAeTitle, "-k", "QueryRetrieveLevel=STUDY", "-k", $"StudyInstanceUID={jlsStudy}", "127.0.0.1", dimsePort);
            moved = move.ExitCode == 0 && !move.Output.Contains("error status", StringComparison.Ordinal) ? null : move.Output;
        }
        finally
        {
            storescp.Kill(entireProcessTree: true);
            await storescp.WaitForExitAsync(CancellationToken.None);
            var said = await storescp.StandardOutput.ReadToEndAsync(CancellationToken.None) + await storescp.StandardError.ReadToEndAsync(CancellationToken.None);
            storescp.Dispose();
            Assert.True(moved is null, $"movescu: {moved}\nstorescp: {said}\n{server.LogTail(20)}");
        }

        await AssertDecodedAsync(Assert.Single(Directory.GetFiles(received)), jlsReference, "C-MOVE", ct);

        // C-GET by a getscu that accepts Implicit VR Little Endian only.
        var got = scratch.Sub("got");
        var get = await QueryRetrieveInteropTests.RunAsync(network, got, "getscu", "-S", "+xi", "-aet", CallingAeTitle, "-aec", "VNA", "-od", got,
            "-k", "QueryRetrieveLevel=STUDY", "-k", $"StudyInstanceUID={jlsStudy}", "127.0.0.1", dimsePort);
        Assert.True(get.ExitCode == 0, $"getscu: {get.Output}\n{server.LogTail(20)}");
        await AssertDecodedAsync(Assert.Single(Directory.GetFiles(got)), jlsReference, "C-GET", ct);
    }

    private static async Task AssertDecodedAsync(string path, byte[] reference, string how, CancellationToken ct)
    {
        using var file = await DicomReader.ReadFileAsync(path, new DicomReaderOptions { BulkDataThreshold = int.MaxValue }, ct);
        Assert.False(file.TransferSyntax.IsEncapsulated, $"{how}: still {file.TransferSyntax.Uid}");
        var pixels = (await file.Dataset.GetElement(DicomTag.PixelData)!.GetValueAsync(ct)).ToArray();
        Assert.True(pixels.AsSpan().SequenceEqual(reference), $"{how}: the decoded JPEG-LS pixels differ from dcmdjpls's");
    }

    /// <summary>dcmdjpls's decode of a JPEG-LS file: the native Pixel Data bytes.</summary>
    private static async Task<byte[]> DcmdjplsAsync(string path, string folder, CancellationToken ct)
    {
        var output = Path.Combine(folder, $"dcmdjpls-{Guid.NewGuid():N}.dcm");
        var (code, text) = await RunAsync(folder, "dcmdjpls", path, output);
        Assert.True(code == 0, $"dcmdjpls: {text}");
        using var file = await DicomReader.ReadFileAsync(output, new DicomReaderOptions { BulkDataThreshold = int.MaxValue }, ct);
        return (await file.Dataset.GetElement(DicomTag.PixelData)!.GetValueAsync(ct)).ToArray();
    }

    /// <summary>opj_decompress's decode of the one-frame codestream: little-endian 16-bit samples (RAWL).</summary>
    private static async Task<byte[]> OpjDecompressAsync(DicomFile file, string folder, CancellationToken ct)
    {
        var fragments = Assert.IsType<DicomFragmentSequence>(file.Dataset[DicomTag.PixelData]);
        using var codestream = new MemoryStream();
        foreach (var fragment in fragments.Fragments)
        {
            codestream.Write((await fragment.GetValueAsync(ct)).Span);
        }

        var j2k = Path.Combine(folder, $"opj-{Guid.NewGuid():N}.j2k");
        var raw = Path.ChangeExtension(j2k, ".rawl");
        await File.WriteAllBytesAsync(j2k, codestream.ToArray(), ct);
        var (code, text) = await RunAsync(folder, "opj_decompress", "-i", j2k, "-o", raw);
        Assert.True(code == 0, $"opj_decompress: {text}");
        return await File.ReadAllBytesAsync(raw, ct);
    }

    /// <summary>16-bit little-endian samples masked to Bits Stored.</summary>
    private static ushort[] Samples(byte[] bytes, int bitsStored)
    {
        var mask = (ushort)((1 << bitsStored) - 1);
        var samples = new ushort[bytes.Length / 2];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = (ushort)((bytes[2 * i] | (bytes[(2 * i) + 1] << 8)) & mask);
        }

        return samples;
    }

    private static async Task<(int Code, string Output)> RunAsync(string folder, string tool, params string[] arguments)
    {
        var start = QueryRetrieveInteropTests.Redirected(new ProcessStartInfo(tool, arguments) { WorkingDirectory = folder });
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await errors);
    }
}
