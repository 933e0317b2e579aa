using System.Globalization;
using Vna.Dicom;

namespace Vna.Web.Wado;

/// <summary>
/// Reads single frames out of a data set's Pixel Data: for native pixel data the frame's bytes (little endian), for
/// encapsulated pixel data the frame's fragments joined (its codestream). Only the frame asked for is read.
/// </summary>
internal static class FrameReader
{
    public static int NumberOfFrames(DicomDataset dataset)
    {
        var text = dataset.GetString(DicomTag.NumberOfFrames);
        return text is not null && int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 1;
    }

    /// <summary>The bytes of frame <paramref name="number"/> (1-based).</summary>
    /// <exception cref="InvalidDataException">The data set has no pixel data, or its frames cannot be located.</exception>
    public static async Task<byte[]> ReadAsync(DicomDataset dataset, int number, CancellationToken cancellationToken)
    {
        var frames = NumberOfFrames(dataset);
        switch (dataset[DicomTag.PixelData])
        {
            case DicomElement native:
                var rows = dataset.GetValue<int>(DicomTag.Rows) ?? 0;
                var columns = dataset.GetValue<int>(DicomTag.Columns) ?? 0;
                var samples = dataset.GetValue<int>(DicomTag.SamplesPerPixel) ?? 1;
                var bits = dataset.GetValue<int>(DicomTag.BitsAllocated) ?? 16;
                var frameBits = (long)rows * columns * samples * bits;
                var frameSize = frameBits / 8;
                var start = (number - 1) * frameSize;
                if (frameSize <= 0 || frameBits % 8 != 0 || start + frameSize > native.Length)
                {
                    throw new InvalidDataException("The pixel data is shorter than its frames' attributes say.");
                }

                var frame = new byte[frameSize];
                if (native.BulkData is { } bulk)
                {
                    var reference = new BulkDataReference(bulk.Source, bulk.Offset + start, frameSize, bulk.SwapUnit);
                    await using var stream = reference.OpenRead();
                    await stream.ReadExactlyAsync(frame, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    native.InlineValue.Span.Slice((int)start, (int)frameSize).CopyTo(frame);
                }

                return frame;
            case DicomFragmentSequence fragments:
                var extended = dataset.Contains(DicomTag.ExtendedOffsetTable) ? dataset.GetValues<ulong>(DicomTag.ExtendedOffsetTable) : null;
                IReadOnlyList<Range> ranges;
                try
                {
                    ranges = fragments.GetFrameFragments(frames, extended);
                }
                catch (DicomDataException ex)
                {
                    throw new InvalidDataException(ex.Message, ex);
                }

                if (number > ranges.Count)
                {
                    throw new InvalidDataException($"The encapsulated pixel data holds {ranges.Count} frames.");
                }

                var (offset, count) = ranges[number - 1].GetOffsetAndLength(fragments.Fragments.Count);
                var parts = fragments.Fragments.Skip(offset).Take(count).ToArray();
                var result = new byte[parts.Sum(p => p.Length)];
                var at = 0;
                foreach (var part in parts)
                {
                    var value = await part.GetValueAsync(cancellationToken).ConfigureAwait(false);
                    value.Span.CopyTo(result.AsSpan(at));
                    at += value.Length;
                }

                return result;
            default:
                throw new InvalidDataException("The instance has no pixel data.");
        }
    }
}
