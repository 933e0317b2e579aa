using System.Runtime.InteropServices;

namespace Vna.Codecs.Native;

/// <summary>opj_image_t (48 bytes on LP64).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct OpjImage
{
    public uint X0;
    public uint Y0;
    public uint X1;
    public uint Y1;
    public uint NumberOfComponents;
    public int ColorSpace;
    public OpjImageComponent* Components;
    public byte* IccProfile;
    public uint IccProfileLength;
}
