using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using K4os.Compression.LZ4;
using K4os.Compression.LZ4.Streams;

namespace Vna.Storage.Cold;

/// <summary>Writes a cold bundle (<see cref="StudyBundleFormat"/>) to a stream. Call <see cref="CompleteAsync"/> once at the end.</summary>
public sealed class StudyBundleWriter : IAsyncDisposable
{
    private readonly Stream _lz4;
    private int _count;
    private bool _completed;

    public StudyBundleWriter(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _lz4 = LZ4Stream.Encode(output, new LZ4EncoderSettings { CompressionLevel = LZ4Level.L00_FAST, BlockSize = 1 << 20 }, leaveOpen: true);
        Span<byte> header = stackalloc byte[5];
        StudyBundleFormat.Magic.CopyTo(header);
        header[4] = StudyBundleFormat.Version;
        _lz4.Write(header);
    }

    /// <summary>Adds an entry of <paramref name="length"/> bytes read from <paramref name="source"/>; returns its SHA-256 (lower-case hex).</summary>
    public async Task<string> AddAsync(string name, Stream source, long length, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        await WriteHeaderAsync(name, length, cancellationToken).ConfigureAwait(false);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 17);
        try
        {
            var left = length;
            while (left > 0)
            {
                var n = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    throw new EndOfStreamException($"Entry {name}: the source ended {left} bytes early.");
                }

                hash.AppendData(buffer, 0, n);
                await _lz4.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                left -= n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        var sha = hash.GetHashAndReset();
        await _lz4.WriteAsync(sha, cancellationToken).ConfigureAwait(false);
        _count++;
        return Convert.ToHexStringLower(sha);
    }

    /// <summary>Adds an entry held in memory.</summary>
    public async Task<string> AddAsync(string name, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        await WriteHeaderAsync(name, content.Length, cancellationToken).ConfigureAwait(false);
        await _lz4.WriteAsync(content, cancellationToken).ConfigureAwait(false);
        var sha = SHA256.HashData(content.Span);
        await _lz4.WriteAsync(sha, cancellationToken).ConfigureAwait(false);
        _count++;
        return Convert.ToHexStringLower(sha);
    }

    /// <summary>Writes the end mark and the entry count and closes the LZ4 frame (the output stays open).</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        var end = new byte[6];
        BinaryPrimitives.WriteUInt32LittleEndian(end.AsSpan(2), (uint)_count);
        await _lz4.WriteAsync(end, cancellationToken).ConfigureAwait(false);
        await _lz4.FlushAsync(cancellationToken).ConfigureAwait(false);
        await _lz4.DisposeAsync().ConfigureAwait(false);
        _completed = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_completed)
        {
            await _lz4.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task WriteHeaderAsync(string name, long length, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var nameBytes = Encoding.UTF8.GetBytes(name);
        if (nameBytes.Length > StudyBundleFormat.MaxNameBytes)
        {
            throw new ArgumentException($"Entry name too long: {name}", nameof(name));
        }

        var header = new byte[2 + nameBytes.Length + 8];
        BinaryPrimitives.WriteUInt16LittleEndian(header, (ushort)nameBytes.Length);
        nameBytes.CopyTo(header, 2);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(2 + nameBytes.Length), length);
        await _lz4.WriteAsync(header, cancellationToken).ConfigureAwait(false);
    }
}
