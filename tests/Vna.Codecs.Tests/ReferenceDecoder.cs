using System.Collections.Concurrent;
using System.Globalization;
using Vna.Codecs.Pixels;
using Vna.Dicom;

namespace Vna.Codecs.Tests;

/// <summary>
/// Pixels decoded by a peer: pydicom (its Pillow, RLE and NumPy handlers) where it can, DCMTK (dcmdjpeg, dcmdjpls,
/// dcmdrle) where pydicom has no handler. Samples come back as the data set means them (masked or sign-extended from Bits
/// Stored), interleaved, frames back to back.
/// </summary>
internal static class ReferenceDecoder
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<int[]?>>> s_pydicom = new(StringComparer.Ordinal);

    public static Task<int[]?> PydicomAsync(string path, FrameInfo info, int frames) =>
        s_pydicom.GetOrAdd(path, p => new Lazy<Task<int[]?>>(() => RunPydicomAsync(p, info, frames))).Value;

    private static async Task<int[]?> RunPydicomAsync(string path, FrameInfo info, int frames)
    {
        var dir = Directory.CreateTempSubdirectory("vna-pydicom-");
        try
        {
            var (code, output, error) = await PeerTools.RunAsync(PeerTools.Python, [PeerTools.Script("pydicom_pixels.py"), dir.FullName, path]);
            Assert.True(code == 0, $"pydicom script failed: {error}");
            var line = output.Trim();
            if (!line.StartsWith("ok ", StringComparison.Ordinal))
            {
                return null; // no pydicom handler for this syntax
            }

            var raw = await File.ReadAllBytesAsync(Path.Combine(dir.FullName, "0.raw"));
            var values = new int[raw.Length / 4];
            Buffer.BlockCopy(raw, 0, values, 0, raw.Length);
            Assert.Equal(info.Samples * frames, values.LongLength);
            return Normalize(values, info);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>Decodes with a DCMTK tool (dcmdjpeg, dcmdjpls, dcmdrle) to a native file and reads its pixels.</summary>
    public static async Task<(int[] Samples, string Photometric)> DcmtkAsync(string tool, string path)
    {
        var exe = PeerTools.Tool(tool, "dcmtk");
        var output = Path.Combine(Path.GetTempPath(), "vna-dcmtk-" + Guid.NewGuid().ToString("N") + ".dcm");
        try
        {
            var (code, stdout, stderr) = await PeerTools.RunAsync(exe, [path, output]);
            Assert.True(code == 0, $"{tool} failed on {Path.GetFileName(path)}: {stdout}{stderr}");
            using var file = await DicomReader.ReadFileAsync(output);
            var ds = file.Dataset;
            var info = TranscodeHarness.InfoOf(ds);
            var frames = TranscodeHarness.FramesOf(ds);
            var bytes = ds.GetElement(DicomTag.PixelData)!.GetValue().ToArray();
            var planar = info.SamplesPerPixel > 1 && ds.GetValue<int>(DicomTag.PlanarConfiguration) == 1;
            if (planar)
            {
                var interleaved = new byte[bytes.Length];
                for (var f = 0; f < frames; f++)
                {
                    var size = (int)info.FrameBytes;
                    SampleConversion.PlanarToInterleaved(bytes.AsSpan(f * size, size), interleaved.AsSpan(f * size, size), info);
                }

                bytes = interleaved;
            }

            return (TranscodeHarness.Samples(bytes, info, frames), ds.GetString(DicomTag.PhotometricInterpretation) ?? "");
        }
        finally
        {
            File.Delete(output);
        }
    }

    public static int[] Normalize(int[] values, FrameInfo info)
    {
        var shift = 32 - info.BitsStored;
        var mask = (int)((1L << info.BitsStored) - 1);
        var result = new int[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = info.Signed ? (values[i] << shift) >> shift : values[i] & mask;
        }

        return result;
    }

    /// <summary>The largest absolute difference, and where the first mismatch is, for messages.</summary>
    public static (int MaxDifference, string FirstMismatch) Compare(int[] expected, int[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var max = 0;
        var first = "";
        for (var i = 0; i < expected.Length; i++)
        {
            var d = Math.Abs(expected[i] - actual[i]);
            if (d > 0 && first.Length == 0)
            {
                first = string.Create(CultureInfo.InvariantCulture, $"sample {i}: expected {expected[i]}, got {actual[i]}");
            }

            max = Math.Max(max, d);
        }

        return (max, first);
    }
}
