using System.Buffers;
using System.Buffers.Binary;

namespace Vna.Dicom;

/// <summary>
/// Buffered, forward-only reading of a stream with the absolute position tracked. The parser asks for a few bytes at a
/// time (<see cref="EnsureAsync"/> completes synchronously when they are buffered) and skips or copies large values.
/// The buffer is rented from the shared array pool (a 64 KiB array a file adds up when thousands of files are read) and
/// goes back with <see cref="Release"/>, after which this instance must not be used.
/// </summary>
internal sealed class DicomReadBuffer
{
    private readonly Stream _stream;
    private readonly long _streamLength;
    private byte[] _buffer;
    private int _pos;
    private int _end;
    private long _bufferStart;
    private bool _eof;

    private readonly long _origin;

    public DicomReadBuffer(Stream stream, int bufferSize)
    {
        _stream = stream;
        _buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
        _origin = stream.CanSeek ? stream.Position : 0;
        _streamLength = stream.CanSeek ? stream.Length : -1;
    }

    /// <summary>Position of the next unread byte, counted from where reading began.</summary>
    public long Position => _bufferStart + _pos;

    /// <summary>Position of the next unread byte in the underlying stream (for references into a seekable source).</summary>
    public long StreamPosition => _origin + Position;

    public int Available => _end - _pos;

    public bool CanSeek => _stream.CanSeek;

    /// <summary>Bytes left in the stream, or -1 when unknown (a stream that cannot seek).</summary>
    public long Remaining => _streamLength < 0 ? -1 : _streamLength - StreamPosition;

    public ReadOnlySpan<byte> Peek(int count) => _buffer.AsSpan(_pos, count);

    public ReadOnlySpan<byte> PeekAvailable() => _buffer.AsSpan(_pos, _end - _pos);

    public void Advance(int count) => _pos += count;

    /// <summary>Moves back within what is still buffered (used to re-read a header with another interpretation).</summary>
    public void Rewind(int count) => _pos -= count;

    public ushort ReadUInt16(bool bigEndian)
    {
        var v = bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(_buffer.AsSpan(_pos)) : BinaryPrimitives.ReadUInt16LittleEndian(_buffer.AsSpan(_pos));
        _pos += 2;
        return v;
    }

    public uint ReadUInt32(bool bigEndian)
    {
        var v = bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(_buffer.AsSpan(_pos)) : BinaryPrimitives.ReadUInt32LittleEndian(_buffer.AsSpan(_pos));
        _pos += 4;
        return v;
    }

    /// <summary>Makes at least <paramref name="count"/> bytes available; false when the stream ends first (what is there stays available).</summary>
    public ValueTask<bool> EnsureAsync(int count, CancellationToken cancellationToken)
    {
        if (_end - _pos >= count)
        {
            return ValueTask.FromResult(true);
        }

        return FillAsync(count, cancellationToken);
    }

    private async ValueTask<bool> FillAsync(int count, CancellationToken cancellationToken)
    {
        if (count > _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(count, _buffer.Length * 2));
            _buffer.AsSpan(_pos, _end - _pos).CopyTo(bigger);
            _bufferStart += _pos;
            _end -= _pos;
            _pos = 0;
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
        else if (_pos > 0)
        {
            _buffer.AsSpan(_pos, _end - _pos).CopyTo(_buffer);
            _bufferStart += _pos;
            _end -= _pos;
            _pos = 0;
        }

        while (_end - _pos < count && !_eof)
        {
            var n = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                _eof = true;
                break;
            }

            _end += n;
        }

        return _end - _pos >= count;
    }

    /// <summary>True when no byte is left.</summary>
    public async ValueTask<bool> AtEndAsync(CancellationToken cancellationToken) => !await EnsureAsync(1, cancellationToken).ConfigureAwait(false);

    /// <summary>Copies exactly <paramref name="destination"/>.Length bytes; false when the stream ends first.</summary>
    public async ValueTask<bool> ReadExactAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        var fromBuffer = Math.Min(destination.Length, _end - _pos);
        _buffer.AsSpan(_pos, fromBuffer).CopyTo(destination.Span);
        _pos += fromBuffer;
        var done = fromBuffer;
        if (done == destination.Length)
        {
            return true;
        }

        if (destination.Length - done >= _buffer.Length / 2)
        {
            // Large remainder: read straight into the destination.
            while (done < destination.Length)
            {
                var n = await _stream.ReadAsync(destination[done..], cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    _eof = true;
                    _bufferStart += _pos + (done - fromBuffer);
                    _pos = _end = 0;
                    return false;
                }

                done += n;
            }

            _bufferStart += _end + (done - fromBuffer);
            _pos = _end = 0;
            return true;
        }

        if (!await EnsureAsync(destination.Length - done, cancellationToken).ConfigureAwait(false))
        {
            var partial = _end - _pos;
            _buffer.AsSpan(_pos, partial).CopyTo(destination.Span[done..]);
            _pos += partial;
            return false;
        }

        _buffer.AsSpan(_pos, destination.Length - done).CopyTo(destination.Span[done..]);
        _pos += destination.Length - done;
        return true;
    }

    /// <summary>Skips <paramref name="count"/> bytes, seeking when the stream can; false when the stream ends first.</summary>
    public async ValueTask<bool> SkipAsync(long count, CancellationToken cancellationToken)
    {
        var fromBuffer = (int)Math.Min(count, _end - _pos);
        _pos += fromBuffer;
        var left = count - fromBuffer;
        if (left == 0)
        {
            return true;
        }

        var skipFrom = _bufferStart + _end;
        if (_stream.CanSeek)
        {
            var available = _streamLength - _stream.Position;
            _pos = _end = 0;
            if (left > available)
            {
                _stream.Seek(0, SeekOrigin.End);
                _bufferStart = skipFrom + available;
                _eof = true;
                return false;
            }

            _stream.Seek(left, SeekOrigin.Current);
            _bufferStart = skipFrom + left;
            return true;
        }

        _bufferStart = skipFrom;
        _pos = _end = 0;
        while (left > 0)
        {
            var n = await _stream.ReadAsync(_buffer.AsMemory(0, (int)Math.Min(_buffer.Length, left)), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                _eof = true;
                return false;
            }

            left -= n;
            _bufferStart += n;
        }

        return true;
    }

    /// <summary>Copies <paramref name="count"/> bytes to <paramref name="destination"/>; false when the stream ends first.</summary>
    public async ValueTask<bool> CopyToAsync(Stream destination, long count, CancellationToken cancellationToken)
    {
        var left = count;
        while (left > 0)
        {
            if (_end == _pos && !await EnsureAsync(1, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            var n = (int)Math.Min(left, _end - _pos);
            await destination.WriteAsync(_buffer.AsMemory(_pos, n), cancellationToken).ConfigureAwait(false);
            _pos += n;
            left -= n;
        }

        return true;
    }

    /// <summary>The bytes buffered but not yet consumed, and the stream: what a deflate decoder reads after the meta group.</summary>
    public Stream DetachRemainder()
    {
        var leftover = _buffer.AsSpan(_pos, _end - _pos).ToArray();
        _pos = _end;
        return new PrefixedStream(leftover, _stream);
    }

    /// <summary>Returns the buffer to the pool; nothing may be read after this.</summary>
    public void Release()
    {
        var buffer = _buffer;
        _buffer = [];
        _pos = _end = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
