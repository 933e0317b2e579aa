using System.Buffers;
using System.Buffers.Binary;

namespace Vna.Dicom;

/// <summary>
/// The writer's output: a pooled buffer flushed to a stream with WriteAsync whenever it fills. Numbers are written in the
/// byte order of <see cref="BigEndian"/>. Headers are written synchronously after <see cref="EnsureAsync"/> has made room;
/// values are copied (and swapped when writing big endian) chunk by chunk.
/// </summary>
internal sealed class DicomWriterBuffer : IDisposable
{
    /// <summary>Below this much free space a value larger than the free space flushes first instead of writing a sliver.</summary>
    private const int MinimumChunk = 512;

    private byte[] _buffer;
    private int _count;

    public DicomWriterBuffer(Stream stream, int size)
    {
        Stream = stream;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(size, DicomWriterOptions.MinimumBufferSize));
    }

    /// <summary>Where flushed bytes go; change it only right after <see cref="FlushAsync"/>.</summary>
    public Stream Stream { get; set; }

    public bool BigEndian { get; set; }

    /// <summary>Bytes given to the buffer since it was created (flushed or not).</summary>
    public long Position { get; private set; }

    public int Free => _buffer.Length - _count;

    /// <summary>Makes room for <paramref name="bytes"/> bytes (at most <see cref="DicomWriterOptions.MinimumBufferSize"/>).</summary>
    public ValueTask EnsureAsync(int bytes, CancellationToken cancellationToken) =>
        Free >= bytes ? default : FlushAsync(cancellationToken);

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_count > 0)
        {
            await Stream.WriteAsync(_buffer.AsMemory(0, _count), cancellationToken).ConfigureAwait(false);
            _count = 0;
        }
    }

    public void WriteByte(byte value)
    {
        _buffer[_count++] = value;
        Position++;
    }

    public void WriteZeros(int count)
    {
        _buffer.AsSpan(_count, count).Clear();
        Advance(count);
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_buffer.AsSpan(_count));
        Advance(bytes.Length);
    }

    public void WriteUInt16(ushort value)
    {
        var span = _buffer.AsSpan(_count, 2);
        if (BigEndian)
        {
            BinaryPrimitives.WriteUInt16BigEndian(span, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(span, value);
        }

        Advance(2);
    }

    public void WriteUInt32(uint value)
    {
        var span = _buffer.AsSpan(_count, 4);
        if (BigEndian)
        {
            BinaryPrimitives.WriteUInt32BigEndian(span, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(span, value);
        }

        Advance(4);
    }

    public void WriteTag(DicomTag tag)
    {
        WriteUInt16(tag.Group);
        WriteUInt16(tag.Element);
    }

    /// <summary>The two characters of an explicit VR header (never swapped).</summary>
    public void WriteVR(DicomVR vr)
    {
        _buffer[_count] = (byte)((ushort)vr >> 8);
        _buffer[_count + 1] = (byte)vr;
        Advance(2);
    }

    /// <summary>Copies a little-endian value that fits in <see cref="Free"/>, reversing each <paramref name="swapUnit"/>-byte number when writing big endian.</summary>
    public void WriteValue(ReadOnlySpan<byte> value, int swapUnit)
    {
        var destination = _buffer.AsSpan(_count, value.Length);
        value.CopyTo(destination);
        if (BigEndian && swapUnit > 1)
        {
            ByteSwap.InPlace(destination, swapUnit);
        }

        Advance(value.Length);
    }

    /// <summary>
    /// Copies a little-endian value, reversing each <paramref name="swapUnit"/>-byte number when writing big endian
    /// (0 or 1: bytes as they are). A trailing partial number is copied unchanged.
    /// </summary>
    public async ValueTask WriteValueAsync(ReadOnlyMemory<byte> value, int swapUnit, CancellationToken cancellationToken)
    {
        var swap = BigEndian && swapUnit > 1;
        if (!swap && value.Length > _buffer.Length)
        {
            // Large and needing no change: straight from the caller's memory to the stream.
            await FlushAsync(cancellationToken).ConfigureAwait(false);
            await Stream.WriteAsync(value, cancellationToken).ConfigureAwait(false);
            Position += value.Length;
            return;
        }

        while (!value.IsEmpty)
        {
            var n = NextChunk(value.Length, swap ? swapUnit : 1);
            if (n == 0)
            {
                await FlushAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            var destination = _buffer.AsSpan(_count, n);
            value.Span[..n].CopyTo(destination);
            if (swap)
            {
                ByteSwap.InPlace(destination, swapUnit);
            }

            Advance(n);
            value = value[n..];
        }
    }

    /// <summary>
    /// Copies <paramref name="length"/> bytes of a little-endian stream through the buffer (never the whole value in memory),
    /// reversing each <paramref name="swapUnit"/>-byte number when writing big endian.
    /// </summary>
    public async ValueTask WriteFromStreamAsync(Stream source, long length, int swapUnit, CancellationToken cancellationToken)
    {
        var swap = BigEndian && swapUnit > 1;
        var remaining = length;
        while (remaining > 0)
        {
            var n = NextChunk(remaining, swap ? swapUnit : 1);
            if (n == 0)
            {
                await FlushAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            var destination = _buffer.AsMemory(_count, n);
            await source.ReadExactlyAsync(destination, cancellationToken).ConfigureAwait(false);
            if (swap)
            {
                ByteSwap.InPlace(destination.Span, swapUnit);
            }

            Advance(n);
            remaining -= n;
        }
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _count = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>How much of the <paramref name="remaining"/> bytes to copy now: 0 asks for a flush first.</summary>
    private int NextChunk(long remaining, int unit)
    {
        var free = Free;
        if (remaining <= free)
        {
            return (int)remaining;
        }

        if (free < MinimumChunk)
        {
            return 0;
        }

        // Only whole numbers, so each number is swapped in one piece.
        return free - (free % unit);
    }

    private void Advance(int count)
    {
        _count += count;
        Position += count;
    }
}
