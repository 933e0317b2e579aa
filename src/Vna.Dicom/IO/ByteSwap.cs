using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Vna.Dicom;

internal static class ByteSwap
{
    /// <summary>Reverses the byte order of each <paramref name="unit"/>-byte number in <paramref name="data"/>; a trailing partial number is left as it is.</summary>
    public static void InPlace(Span<byte> data, int unit)
    {
        var whole = data.Length - (data.Length % unit);
        switch (unit)
        {
            case 2:
                var u16 = MemoryMarshal.Cast<byte, ushort>(data[..whole]);
                BinaryPrimitives.ReverseEndianness(u16, u16);
                break;
            case 4:
                var u32 = MemoryMarshal.Cast<byte, uint>(data[..whole]);
                BinaryPrimitives.ReverseEndianness(u32, u32);
                break;
            case 8:
                var u64 = MemoryMarshal.Cast<byte, ulong>(data[..whole]);
                BinaryPrimitives.ReverseEndianness(u64, u64);
                break;
            default:
                break;
        }
    }
}
