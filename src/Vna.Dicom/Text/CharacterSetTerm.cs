namespace Vna.Dicom.Text;

/// <summary>
/// One defined term of Specific Character Set (0008,0005) (PS3.3 Tables C.12-2 to C.12-5): the graphic sets it puts in G0
/// and G1, or the stand-alone encoding (UTF-8, GB18030, GBK) that replaces ISO 2022 altogether.
/// </summary>
internal sealed class CharacterSetTerm
{
    public CharacterSetTerm(string name, GraphicSet? g0, GraphicSet? g1)
    {
        Name = name;
        G0 = g0;
        G1 = g1;
    }

    public CharacterSetTerm(string name, int standAloneCodePage)
    {
        Name = name;
        StandAloneCodePage = standAloneCodePage;
    }

    /// <summary>The defined term as the standard spells it.</summary>
    public string Name { get; }

    /// <summary>True for the "ISO 2022 ..." terms, which allow code extensions.</summary>
    public bool IsCodeExtension => Name.StartsWith("ISO 2022", StringComparison.Ordinal);

    public GraphicSet? G0 { get; }

    public GraphicSet? G1 { get; }

    /// <summary>The code page of a term that cannot be used with code extensions (65001 for UTF-8), else 0.</summary>
    public int StandAloneCodePage { get; }

    public bool IsStandAlone => StandAloneCodePage != 0;

    /// <summary>True for ISO_IR 6 / ISO 2022 IR 6 (ASCII only).</summary>
    public bool IsDefaultRepertoire => G0 == GraphicSets.Ascii && G1 is null && !IsStandAlone;

    public override string ToString() => Name;
}
