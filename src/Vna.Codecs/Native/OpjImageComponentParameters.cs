using System.Runtime.InteropServices;

namespace Vna.Codecs.Native;

/// <summary>opj_image_cmptparm_t (36 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct OpjImageComponentParameters
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
}
