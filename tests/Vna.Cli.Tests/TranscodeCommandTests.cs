using Vna.Cli.Commands;
using Vna.Dicom;

namespace Vna.Cli.Tests;

/// <summary><c>vna transcode</c> in process: a real file to HTJ2K and back, and a clear error (exit 2, no output file) for bad input.</summary>
public sealed class TranscodeCommandTests
{
    [Fact]
    public async Task Transcode_writes_the_target_syntax_and_back()
    {
        var dir = Directory.CreateTempSubdirectory("vna-cli-transcode-");
        try
        {
            var source = Path.Combine(dir.FullName, "in.dcm");
            var ds = new DicomDataset();
            ds.AddOrUpdate(DicomTag.SOPClassUID, "1.2.840.10008.5.1.4.1.1.7");
            ds.AddOrUpdate(DicomTag.SOPInstanceUID, DicomUid.Generate());
            ds.AddOrUpdateValues(DicomTag.SamplesPerPixel, DicomVR.US, (ushort)1);
            ds.AddOrUpdate(DicomTag.PhotometricInterpretation, "MONOCHROME2");
            ds.AddOrUpdateValues(DicomTag.Rows, DicomVR.US, (ushort)16);
            ds.AddOrUpdateValues(DicomTag.Columns, DicomVR.US, (ushort)16);
            ds.AddOrUpdateValues(DicomTag.BitsAllocated, DicomVR.US, (ushort)16);
            ds.AddOrUpdateValues(DicomTag.BitsStored, DicomVR.US, (ushort)12);
            ds.AddOrUpdateValues(DicomTag.HighBit, DicomVR.US, (ushort)11);
            ds.AddOrUpdateValues(DicomTag.PixelRepresentation, DicomVR.US, (ushort)0);
            var pixels = Enumerable.Range(0, 256).Select(i => (ushort)(i * 13 % 4096)).ToArray();
            ds.AddOrUpdateValues(DicomTag.PixelData, DicomVR.OW, pixels);
            await DicomWriter.WriteFileAsync(source, new DicomFile(new DicomDataset(), ds, DicomTransferSyntax.ExplicitVRLittleEndian), null, TestContext.Current.CancellationToken);

            var ht = Path.Combine(dir.FullName, "ht.dcm");
            var back = Path.Combine(dir.FullName, "back.dcm");
            Assert.Equal(0, await RunAsync("transcode", source, ht, "--ts", "1.2.840.10008.1.2.4.201"));
            Assert.Equal(0, await RunAsync("transcode", ht, back, "--ts", "1.2.840.10008.1.2.1"));

            using (var file = await DicomReader.ReadFileAsync(ht, null, TestContext.Current.CancellationToken))
            {
                Assert.Equal("1.2.840.10008.1.2.4.201", file.TransferSyntax.Uid);
            }

            using var result = await DicomReader.ReadFileAsync(back, null, TestContext.Current.CancellationToken);
            Assert.Equal(pixels, result.Dataset.GetValues<ushort>(DicomTag.PixelData));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Bad_input_exits_2_and_writes_nothing()
    {
        var dir = Directory.CreateTempSubdirectory("vna-cli-transcode-");
        try
        {
            var source = Path.Combine(dir.FullName, "junk.dcm");
            await File.WriteAllBytesAsync(source, new byte[300], TestContext.Current.CancellationToken);
            var target = Path.Combine(dir.FullName, "out.dcm");
            var error = new StringWriter();
            var code = await Program.RunAsync(["transcode", source, target, "--ts", "1.2.840.10008.1.2.4.90"], new CliConsole(Stream.Null, error), TestContext.Current.CancellationToken);
            Assert.Equal(2, code);
            Assert.Contains("junk.dcm", error.ToString(), StringComparison.Ordinal);
            Assert.Single(dir.GetFiles());
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static Task<int> RunAsync(params string[] args) =>
        Program.RunAsync(args, new CliConsole(Stream.Null, TextWriter.Null), TestContext.Current.CancellationToken);
}
