using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using K4os.Compression.LZ4.Streams;

namespace Vna.Storage.Cold;

/// <summary>
/// Reads a cold bundle entry by entry: <see cref="NextAsync"/> gives the next entry's header (null at the end, after the
/// entry count is checked), <see cref="CopyEntryToAsync"/> copies its bytes and checks its SHA-256.
/// </summary>
public sealed class StudyBundleReader : IAsyncDisposable
{
    private readonly Stream _lz4;
    private BundleEntry? _pending;
    private int _count;
    private bool _started;

    public StudyBundleReader(Stream input)
    {
        ArgumentNullException.ThrowIfNull(input);
        _lz4 = LZ4Stream.Decode(input, leaveOpen: true);
    }

    public async Task<BundleEntry?> NextAsync(CancellationToken cancellationToken)
    {
        if (_pending is not null)
        {
            await CopyEntryToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
        }

        if (!_started)
        {
            var header = new byte[5];
            await FillAsync(header, "the header", cancellationToken).ConfigureAwait(false);
            if (!header.AsSpan(0, 4).SequenceEqual(StudyBundleFormat.Magic) || header[4] != StudyBundleFormat.Version)
            {
                throw new BundleCorruptException("Not a Vna study bundle (bad magic or version).");
            }

            _started = true;
        }

        var lengthBytes = new byte[2];
        await FillAsync(lengthBytes, "an entry header", cancellationToken).ConfigureAwait(false);
        var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(lengthBytes);
        if (nameLength == 0)
        {
            var countBytes = new byte[4];
            await FillAsync(countBytes, "the entry count", cancellationToken).ConfigureAwait(false);
            var count = BinaryPrimitives.ReadUInt32LittleEndian(countBytes);
            if (count != _count)
            {
                throw new BundleCorruptException($"The bundle says {count} entries; {_count} were read.");
            }

            return null;
        }

        if (nameLength > StudyBundleFormat.MaxNameBytes)
        {
            throw new BundleCorruptException($"Entry name of {nameLength} bytes: corrupt header.");
        }

        var rest = new byte[nameLength + 8];
        await FillAsync(rest, "an entry header", cancellationToken).ConfigureAwait(false);
        var name = Encoding.UTF8.GetString(rest, 0, nameLength);
        var length = BinaryPrimitives.ReadInt64LittleEndian(rest.AsSpan(nameLength));
        if (length < 0)
        {
            throw new BundleCorruptException($"Entry {name} has a negative length.");
        }

        _pending = new BundleEntry(name, length);
        return _pending;
    }

    /// <summary>Copies the current entry's bytes to <paramref name="destination"/>; returns their SHA-256 once it matches the recorded one.</summary>
    public async Task<string> CopyEntryToAsync(Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var entry = _pending ?? throw new InvalidOperationException("No entry is open: call NextAsync first.");
        _pending = null;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 17);
        try
        {
            var left = entry.Length;
            while (left > 0)
            {
                var n = await _lz4.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    throw new BundleCorruptException($"The bundle ends inside entry {entry.Name} ({left} bytes missing).");
                }

                hash.AppendData(buffer, 0, n);
                await destination.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                left -= n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        var recorded = new byte[32];
        await FillAsync(recorded, $"the checksum of {entry.Name}", cancellationToken).ConfigureAwait(false);
        var actual = hash.GetHashAndReset();
        if (!actual.AsSpan().SequenceEqual(recorded))
        {
            throw new BundleCorruptException($"Entry {entry.Name} does not match its SHA-256.");
        }

        _count++;
        return Convert.ToHexStringLower(actual);
    }

    public ValueTask DisposeAsync() => _lz4.DisposeAsync();

    private async Task FillAsync(byte[] buffer, string what, CancellationToken cancellationToken)
    {
        try
        {
            await _lz4.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (EndOfStreamException ex)
        {
            throw new BundleCorruptException($"The bundle ends before {what}.", ex);
        }
        catch (InvalidDataException ex)
        {
            throw new BundleCorruptException($"The bundle's LZ4 frame is corrupt ({ex.Message}).", ex);
        }
    }
}
