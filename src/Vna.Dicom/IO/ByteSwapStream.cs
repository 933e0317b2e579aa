namespace Vna.Dicom;

/// <summary>Reads an inner stream and reverses the bytes of each number of <c>unit</c> bytes (big endian ↔ little endian).</summary>
internal sealed class ByteSwapStream : Stream
{
    private readonly Stream _inner;
    private readonly int _unit;
    private readonly byte[] _carry;
    private int _carryStart;
    private int _carryEnd;

    public ByteSwapStream(Stream inner, int unit)
    {
        _inner = inner;
        _unit = unit;
        _carry = new byte[unit];
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _inner.Length;

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        if (_carryStart < _carryEnd || buffer.Length < _unit)
        {
            return ReadFromCarry(buffer);
        }

        // Read whole units only, so every number is swapped in one piece.
        var want = buffer.Length - (buffer.Length % _unit);
        var total = 0;
        do
        {
            var n = _inner.Read(buffer[total..want]);
            if (n == 0)
            {
                break;
            }

            total += n;
        }
        while (total % _unit != 0);

        ByteSwap.InPlace(buffer[..total], _unit);
        return total;
    }

    private int ReadFromCarry(Span<byte> buffer)
    {
        if (_carryStart == _carryEnd)
        {
            var got = 0;
            while (got < _unit)
            {
                var n = _inner.Read(_carry.AsSpan(got));
                if (n == 0)
                {
                    break;
                }

                got += n;
            }

            ByteSwap.InPlace(_carry.AsSpan(0, got), _unit);
            _carryStart = 0;
            _carryEnd = got;
        }

        var take = Math.Min(buffer.Length, _carryEnd - _carryStart);
        _carry.AsSpan(_carryStart, take).CopyTo(buffer);
        _carryStart += take;
        return take;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
