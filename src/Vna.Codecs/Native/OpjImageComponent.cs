using System.Runtime.InteropServices;

namespace Vna.Codecs.Native;

/// <summary>opj_image_comp_t (64 bytes on LP64). The deprecated <c>bpp</c> sits between <c>prec</c> and <c>sgnd</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct OpjImageComponent
{
    public uint Dx;
    public uint Dy;
    public uint Width;
    public uint Height;
    public uint X0;
    public uint Y0;
    public uint Precision;
    public uint DeprecatedBpp;
    public uint Signed;
    public uint ResolutionsDecoded;
    public uint Factor;
    public int* Data;
    public ushort Alpha;
}
