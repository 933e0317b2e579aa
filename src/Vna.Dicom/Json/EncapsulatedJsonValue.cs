using System.Buffers.Binary;

namespace Vna.Dicom;

/// <summary>
/// Encapsulated pixel data as one byte string for "InlineBinary": the value field as it appears in a file (PS3.5 A.4),
/// that is the Basic Offset Table item and each fragment item, each with its 8-byte item header, little endian, without
/// the closing Sequence Delimitation Item (which ends the undefined-length value rather than belonging to it, as pydicom
/// and DCMTK hold it too). <see cref="TryDecode"/> reverses it, accepting a trailing delimiter as well.
/// </summary>
internal static class EncapsulatedJsonValue
{
    private const ushort ItemGroup = 0xFFFE;
    private const ushort ItemElement = 0xE000;
    private const ushort SequenceDelimiterElement = 0xE0DD;

    public static DicomTag PixelData { get; } = new(0x7FE0, 0x0010);

    /// <summary>Bytes of the encoding: 8 + 4 per offset for the table, 8 + length per fragment.</summary>
    public static long GetLength(DicomFragmentSequence sequence)
    {
        long length = 8 + (4L * sequence.BasicOffsetTable.Count);
        foreach (var fragment in sequence.Fragments)
        {
            length += 8 + fragment.Length;
        }

        return length;
    }

    public static byte[] Encode(DicomFragmentSequence sequence, Func<DicomFragment, ReadOnlyMemory<byte>> valueOf)
    {
        var length = GetLength(sequence);
        if (length > Array.MaxLength)
        {
            throw new InvalidOperationException(
                $"{sequence.Tag}: {length} bytes of encapsulated pixel data cannot be written inline; give a BulkDataUriFactory.");
        }

        var buffer = new byte[length];
        var span = buffer.AsSpan();
        var position = WriteItemHeader(span, 4 * sequence.BasicOffsetTable.Count);
        foreach (var offset in sequence.BasicOffsetTable)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(span[position..], offset);
            position += 4;
        }

        foreach (var fragment in sequence.Fragments)
        {
            var value = valueOf(fragment).Span;
            position += WriteItemHeader(span[position..], value.Length);
            value.CopyTo(span[position..]);
            position += value.Length;
        }

        return buffer;
    }

    /// <summary>
    /// Reads an inline value of Pixel Data as encapsulated when it is exactly a sequence of items (an offset table whose
    /// length is a multiple of 4, then fragments, optionally a Sequence Delimitation Item of length 0 at the very end).
    /// Native pixel data that happened to start with the item tag would also have to parse into items that end exactly at
    /// the end of the value, which is not a practical concern.
    /// </summary>
    public static DicomFragmentSequence? TryDecode(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> bytes)
    {
        if (tag != PixelData || vr is not (DicomVR.OB or DicomVR.OW))
        {
            return null;
        }

        var span = bytes.Span;
        if (!TryReadItemHeader(span, 0, out var isItem, out var tableLength) || !isItem || tableLength % 4 != 0
            || 8L + tableLength > span.Length)
        {
            return null;
        }

        var table = new uint[tableLength / 4];
        for (var i = 0; i < table.Length; i++)
        {
            table[i] = BinaryPrimitives.ReadUInt32LittleEndian(span[(8 + (4 * i))..]);
        }

        var fragments = new List<ReadOnlyMemory<byte>>();
        var position = 8 + (int)tableLength;
        while (position < span.Length)
        {
            if (!TryReadItemHeader(span, position, out isItem, out var itemLength))
            {
                return null;
            }

            if (!isItem)
            {
                // Only a zero-length Sequence Delimitation Item that closes the value is acceptable here.
                if (itemLength != 0 || position + 8 != span.Length)
                {
                    return null;
                }

                position += 8;
                break;
            }

            if (position + 8L + itemLength > span.Length)
            {
                return null;
            }

            fragments.Add(bytes.Slice(position + 8, (int)itemLength));
            position += 8 + (int)itemLength;
        }

        var sequence = new DicomFragmentSequence(tag, vr, table);
        foreach (var fragment in fragments)
        {
            sequence.Add(new DicomFragment(fragment));
        }

        return sequence;
    }

    private static int WriteItemHeader(Span<byte> destination, int length)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(destination, ItemGroup);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[2..], ItemElement);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], (uint)length);
        return 8;
    }

    private static bool TryReadItemHeader(ReadOnlySpan<byte> span, int position, out bool isItem, out uint length)
    {
        isItem = false;
        length = 0;
        if (position + 8 > span.Length || BinaryPrimitives.ReadUInt16LittleEndian(span[position..]) != ItemGroup)
        {
            return false;
        }

        var element = BinaryPrimitives.ReadUInt16LittleEndian(span[(position + 2)..]);
        if (element != ItemElement && element != SequenceDelimiterElement)
        {
            return false;
        }

        isItem = element == ItemElement;
        length = BinaryPrimitives.ReadUInt32LittleEndian(span[(position + 4)..]);
        return true;
    }
}
