using Vna.Codecs.Pixels;
using Vna.Codecs.Transcoding;
using Vna.Core;
using Vna.Dicom;

namespace Vna.Codecs.Tests;

/// <summary>Runs the real transcoder on files in memory and reads their pixels back.</summary>
internal static class TranscodeHarness
{
    public static DicomInstanceTranscoder Transcoder { get; } = new(new CodecsOptions());

    /// <summary>A transcoder with a seal key, as the archive runs: its HTJ2K encodes carry the <see cref="CodestreamSeal"/> block.</summary>
    public static DicomInstanceTranscoder SealingTranscoder { get; } = new(new CodecsOptions(), new CodestreamSeal(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));

    /// <summary>A sample's bytes, given a SOP Instance UID when it has none (a Part 10 file cannot be written without one).</summary>
    public static async Task<byte[]> LoadSampleAsync(string path)
    {
        var bytes = await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken);
        using var file = await ReadAsync(bytes);
        if (file.Dataset.Contains(DicomTag.SOPInstanceUID) || file.FileMetaInformation.Contains(DicomTag.MediaStorageSOPInstanceUID))
        {
            return bytes;
        }

        file.Dataset.AddOrUpdate(DicomTag.SOPInstanceUID, DicomUid.Generate());
        return await ToBytesAsync(file);
    }

    public static async Task<byte[]> ToBytesAsync(DicomFile file)
    {
        using var ms = new MemoryStream();
        await DicomWriter.WriteFileAsync(ms, file, null, TestContext.Current.CancellationToken);
        return ms.ToArray();
    }

    public static async Task<(byte[] Bytes, TranscodeResult Result)> TranscodeAsync(byte[] input, string ts, TranscodeOptions? options = null,
        DicomInstanceTranscoder? transcoder = null)
    {
        using var src = new MemoryStream(input, writable: false);
        using var dst = new MemoryStream();
        var result = await (transcoder ?? Transcoder).TranscodeAsync(src, ts, dst, options, TestContext.Current.CancellationToken);
        return (dst.ToArray(), result);
    }

    public static async Task<DicomFile> ReadAsync(byte[] bytes)
    {
        using var ms = new MemoryStream(bytes, writable: false);
        return await DicomReader.ReadAsync(ms, new DicomReaderOptions { BulkDataThreshold = int.MaxValue }, null, TestContext.Current.CancellationToken);
    }

    /// <summary>Decodes to Explicit VR Little Endian and returns the data set and its pixel bytes (interleaved, frames back to back).</summary>
    public static async Task<(DicomDataset Dataset, byte[] Pixels)> DecodeAsync(byte[] bytes)
    {
        var (native, _) = await TranscodeAsync(bytes, DicomTransferSyntax.ExplicitVRLittleEndian.Uid);
        var file = await ReadAsync(native);
        var pixels = file.Dataset.GetElement(DicomTag.PixelData)!.GetValue().ToArray();
        var info = InfoOf(file.Dataset);
        if (info.SamplesPerPixel > 1 && file.Dataset.GetValue<int>(DicomTag.PlanarConfiguration) == 1)
        {
            var frames = FramesOf(file.Dataset);
            var interleaved = new byte[pixels.Length];
            var size = (int)info.FrameBytes;
            for (var f = 0; f < frames; f++)
            {
                SampleConversion.PlanarToInterleaved(pixels.AsSpan(f * size, size), interleaved.AsSpan(f * size, size), info);
            }

            pixels = interleaved;
        }

        return (file.Dataset, pixels);
    }

    /// <summary>Samples as the data set means them (masked or sign-extended from Bits Stored), for comparisons.</summary>
    public static int[] Samples(byte[] pixels, FrameInfo info, int frames)
    {
        var count = info.Samples * frames;
        var result = new int[count];
        for (long i = 0; i < count; i++)
        {
            result[i] = SampleConversion.ReadSample(pixels, info, i);
        }

        return result;
    }

    public static FrameInfo InfoOf(DicomDataset ds) => PixelModule.Read(ds, long.MaxValue).Frame;

    public static int FramesOf(DicomDataset ds) => PixelModule.Read(ds, long.MaxValue).NumberOfFrames;
}
