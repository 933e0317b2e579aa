using System.Runtime.InteropServices;

namespace Vna.Codecs.Native;

/// <summary>opj_cparameters_t of OpenJPEG 2.5 (18,720 bytes on LP64): only the fields Vna sets, at their C offsets.</summary>
[StructLayout(LayoutKind.Explicit, Size = 18720)]
internal unsafe struct OpjCParameters
{
    [FieldOffset(0)]
    public int TileSizeOn;

    [FieldOffset(20)]
    public int DistortionAllocation;

    [FieldOffset(28)]
    public int FixedQuality;

    [FieldOffset(40)]
    public byte* Comment;

    [FieldOffset(52)]
    public int ProgressionOrder;

    [FieldOffset(4796)]
    public int NumberOfLayers;

    [FieldOffset(4800)]
    public fixed float Rates[100];

    [FieldOffset(5600)]
    public int NumberOfResolutions;

    [FieldOffset(5604)]
    public int CodeBlockWidth;

    [FieldOffset(5608)]
    public int CodeBlockHeight;

    [FieldOffset(5612)]
    public int Mode;

    [FieldOffset(5616)]
    public int Irreversible;

    [FieldOffset(18696)]
    public byte TilePartsOn;

    [FieldOffset(18697)]
    public byte TilePartFlag;

    [FieldOffset(18698)]
    public byte MultipleComponentTransform;

    [FieldOffset(18716)]
    public ushort Rsiz;
}
