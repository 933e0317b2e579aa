namespace Vna.Codecs.Codecs;

/// <summary>Photometric Interpretation values (PS3.3 C.7.6.3.1.2).</summary>
internal static class Photometric
{
    public const string Monochrome1 = "MONOCHROME1";
    public const string Monochrome2 = "MONOCHROME2";
    public const string PaletteColor = "PALETTE COLOR";
    public const string Rgb = "RGB";
    public const string YbrFull = "YBR_FULL";
    public const string YbrFull422 = "YBR_FULL_422";
    public const string YbrPartial420 = "YBR_PARTIAL_420";
    public const string YbrRct = "YBR_RCT";
    public const string YbrIct = "YBR_ICT";

    /// <summary>Photometric interpretations whose native form has subsampled chroma: no codec here takes them as input.</summary>
    public static bool IsSubsampled(string photometric) => photometric is YbrFull422 or YbrPartial420 or "YBR_PARTIAL_422";
}
