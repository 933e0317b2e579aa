using Vna.Codecs.Pixels;
using Vna.Core;
using Vna.Dicom;

namespace Vna.Codecs.Transcoding;

/// <summary>Reads one frame at a time from native Pixel Data or from the fragments of encapsulated Pixel Data.</summary>
internal sealed class FrameSource
{
    private readonly DicomElement? _native;
    private readonly DicomFragmentSequence? _fragments;
    private readonly IReadOnlyList<Range> _frameFragments = [];
    private readonly FrameInfo _info;

    private FrameSource(DicomElement? native, DicomFragmentSequence? fragments, IReadOnlyList<Range> frameFragments, FrameInfo info)
    {
        _native = native;
        _fragments = fragments;
        _frameFragments = frameFragments;
        _info = info;
    }

    public static async Task<FrameSource> CreateAsync(DicomItem pixelData, DicomDataset dataset, PixelModule module, DicomTransferSyntax syntax, CancellationToken cancellationToken)
    {
        _ = syntax;
        await Task.CompletedTask.ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        if (pixelData is DicomElement element)
        {
            var needed = module.Frame.FrameBytes * module.NumberOfFrames;
            if (element.Length < needed)
            {
                throw new TranscodeException(
                    $"Pixel Data has {element.Length} bytes; {module.NumberOfFrames} frame(s) of {module.Frame} need {needed} (Rows, Columns or Bits disagree with the data).");
            }

            return new FrameSource(element, null, [], module.Frame);
        }

        if (pixelData is DicomFragmentSequence fragments)
        {
            IReadOnlyList<ulong>? extended = null;
            if (dataset.GetElement(DicomTag.ExtendedOffsetTable) is { Length: > 0 })
            {
                extended = dataset.GetValues<ulong>(DicomTag.ExtendedOffsetTable);
            }

            IReadOnlyList<Range> ranges;
            try
            {
                ranges = fragments.GetFrameFragments(module.NumberOfFrames, extended);
            }
            catch (DicomDataException ex)
            {
                throw new TranscodeException($"The fragments cannot be mapped to frames: {ex.Message}", ex);
            }

            if (ranges.Count < module.NumberOfFrames)
            {
                throw new TranscodeException($"Pixel Data holds {ranges.Count} frame(s) of fragments; Number of Frames says {module.NumberOfFrames}.");
            }

            return new FrameSource(null, fragments, ranges, module.Frame);
        }

        throw new TranscodeException("Pixel Data is a sequence, not pixel data.");
    }

    public async ValueTask<byte[]> ReadFrameAsync(int index, CancellationToken cancellationToken)
    {
        if (_native is not null)
        {
            var size = _info.FrameBytes;
            var offset = size * index;
            var buffer = new byte[size];
            if (_native.BulkData is null)
            {
                _native.InlineValue.Span.Slice((int)offset, (int)size).CopyTo(buffer);
                return buffer;
            }

            var bulk = _native.BulkData;
            if (bulk.SwapUnit > 1)
            {
                // Big-endian source: read through the swapping stream from the start of the frame.
                await using var swapped = bulk.OpenRead();
                await SkipAsync(swapped, offset, cancellationToken).ConfigureAwait(false);
                await swapped.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
                return buffer;
            }

            await using var stream = bulk.Source.OpenRead();
            stream.Seek(bulk.Offset + offset, SeekOrigin.Begin);
            await stream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
            return buffer;
        }

        var range = _frameFragments[index];
        var (first, count) = range.GetOffsetAndLength(_fragments!.Fragments.Count);
        long total = 0;
        for (var i = first; i < first + count; i++)
        {
            total += _fragments.Fragments[i].Length;
        }

        if (total > int.MaxValue - 64)
        {
            throw new TranscodeException($"Frame {index + 1} has {total} bytes of fragments, too many for one frame.");
        }

        var data = new byte[total];
        var position = 0;
        for (var i = first; i < first + count; i++)
        {
            var value = await _fragments.Fragments[i].GetValueAsync(cancellationToken).ConfigureAwait(false);
            value.Span.CopyTo(data.AsSpan(position));
            position += value.Length;
        }

        return data;
    }

    private static async Task SkipAsync(Stream stream, long count, CancellationToken cancellationToken)
    {
        var scratch = new byte[Math.Min(count, 1 << 16)];
        while (count > 0)
        {
            var n = await stream.ReadAsync(scratch.AsMemory(0, (int)Math.Min(count, scratch.Length)), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                throw new EndOfStreamException();
            }

            count -= n;
        }
    }
}
