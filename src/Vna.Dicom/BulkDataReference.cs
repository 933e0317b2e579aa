namespace Vna.Dicom;

/// <summary>
/// A value kept outside memory: <see cref="Length"/> bytes at <see cref="Offset"/> in <see cref="Source"/>.
/// When the source holds big-endian data, <see cref="SwapUnit"/> is the size of the numbers to swap (2 for OW, 4 for OF/OL, 8 for OD/OV)
/// so that <see cref="OpenRead"/> and <see cref="ReadAllBytesAsync"/> return little-endian bytes, as every in-memory value is.
/// </summary>
public sealed class BulkDataReference
{
    public BulkDataReference(IBulkDataSource source, long offset, long length, int swapUnit = 0)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Source = source;
        Offset = offset;
        Length = length;
        SwapUnit = swapUnit;
    }

    public IBulkDataSource Source { get; }

    public long Offset { get; }

    public long Length { get; }

    /// <summary>0 when the stored bytes are little endian (or bytes), else the number size to swap on read.</summary>
    public int SwapUnit { get; }

    /// <summary>A stream over exactly this value, in little-endian order.</summary>
    public Stream OpenRead()
    {
        var stream = Source.OpenRead();
        stream.Seek(Offset, SeekOrigin.Begin);
        Stream window = new SubStream(stream, Length);
        return SwapUnit > 1 ? new ByteSwapStream(window, SwapUnit) : window;
    }

    public async ValueTask<byte[]> ReadAllBytesAsync(CancellationToken cancellationToken = default)
    {
        if (Length > Array.MaxLength)
        {
            throw new InvalidOperationException($"A bulk data value of {Length} bytes does not fit in memory; stream it with OpenRead().");
        }

        var buffer = new byte[Length];
        await using var stream = OpenRead();
        await stream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer;
    }

    public override string ToString() => $"{Source.Name}@{Offset}+{Length}";
}
