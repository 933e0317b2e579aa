using System.Buffers.Binary;

namespace Vna.Dicom.Network;

/// <summary>
/// Finds where the data set starts in a Part 10 object: after the 128-byte preamble, "DICM" and the File Meta
/// Information group (explicit VR little endian, PS3.10 7.1), so a stored object can go out as a C-STORE data set byte for
/// byte. Reads only the header; the stream is left at the data set's first byte.
/// </summary>
public static class Part10Header
{
    private const int PreambleAndPrefix = 132;

    /// <summary>
    /// Reads <paramref name="stream"/> past the preamble and meta group; returns a stream of the data set (the same stream,
    /// or one that first replays the bytes read ahead when it cannot seek back) and the length of the header skipped.
    /// </summary>
    /// <exception cref="InvalidDataException">Not a Part 10 object with a readable File Meta Information group.</exception>
    public static async Task<(Stream Dataset, long HeaderLength)> SkipAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var prefix = new byte[PreambleAndPrefix];
        await stream.ReadExactlyAsync(prefix, cancellationToken).ConfigureAwait(false);
        if (prefix[128] != 'D' || prefix[129] != 'I' || prefix[130] != 'C' || prefix[131] != 'M')
        {
            throw new InvalidDataException("The stored object has no Part 10 preamble.");
        }

        long position = PreambleAndPrefix;
        var header = new byte[8];
        var longLength = new byte[4];
        while (true)
        {
            // Peek the next element's tag: the group ends at the first tag outside group 0002.
            var read = await stream.ReadAtLeastAsync(header.AsMemory(0, 8), 8, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (read < 8)
            {
                throw new InvalidDataException("The stored object ends inside its File Meta Information.");
            }

            var group = BinaryPrimitives.ReadUInt16LittleEndian(header);
            if (group != 0x0002)
            {
                // Step back over the 8 bytes read from the data set.
                if (stream.CanSeek)
                {
                    stream.Seek(-8, SeekOrigin.Current);
                    return (stream, position);
                }

                return (new PrefixedStream(header, stream), position);
            }

            var vr = (char)header[4] + string.Empty + (char)header[5];
            long length;
            position += 8;
            if (vr is "OB" or "OW" or "OF" or "SQ" or "UT" or "UN" or "UC" or "UR" or "OD" or "OL" or "OV" or "SV" or "UV")
            {
                await stream.ReadExactlyAsync(longLength, cancellationToken).ConfigureAwait(false);
                position += 4;
                length = BinaryPrimitives.ReadUInt32LittleEndian(longLength);
            }
            else
            {
                length = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(6));
            }

            if (length == 0xFFFF_FFFF || length > 1 << 20)
            {
                throw new InvalidDataException("The File Meta Information holds an element of undefined or implausible length.");
            }

            await SkipBytesAsync(stream, length, cancellationToken).ConfigureAwait(false);
            position += length;
        }
    }

    private static async Task SkipBytesAsync(Stream stream, long count, CancellationToken cancellationToken)
    {
        if (stream.CanSeek)
        {
            stream.Seek(count, SeekOrigin.Current);
            return;
        }

        var buffer = new byte[Math.Min(count, 8192)];
        while (count > 0)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(count, buffer.Length)), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                throw new InvalidDataException("The stored object ends inside its File Meta Information.");
            }

            count -= n;
        }
    }
}
