using System.Runtime.InteropServices;

namespace Vna.Codecs.Native;

/// <summary>opj_dparameters_t of OpenJPEG 2.5 (8,252 bytes on LP64): only the fields Vna sets, at their C offsets.</summary>
[StructLayout(LayoutKind.Explicit, Size = 8252)]
internal struct OpjDParameters
{
    [FieldOffset(0)]
    public uint ReduceFactor;

    [FieldOffset(4)]
    public uint MaxLayers;

    [FieldOffset(8248)]
    public uint Flags;
}
