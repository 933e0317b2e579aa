namespace Vna.Dicom.Text;

/// <summary>The graphic character sets of PS3.3 Tables C.12-3 and C.12-4 and their escape sequences.</summary>
internal static class GraphicSets
{
    private const byte Esc = 0x1B;

    /// <summary>ISO-IR 6 (ASCII) in G0: ESC ( B.</summary>
    public static GraphicSet Ascii { get; } = new("ISO-IR 6", true, false, [Esc, (byte)'(', (byte)'B'], AsciiTable);

    /// <summary>
    /// ISO-IR 14 (JIS X 0201 Romaji) in G0: ESC ( J. It differs from ASCII only at 0x5C (Yen sign) and 0x7E (overline);
    /// DICOM keeps 0x5C as the value delimiter and pydicom (its shift_jis codec) reads both as ASCII, so they decode as
    /// '\' and '~' here too.
    /// </summary>
    public static GraphicSet Romaji { get; } = new("ISO-IR 14", true, false, [Esc, (byte)'(', (byte)'J'], AsciiTable);

    /// <summary>ISO-IR 13 (JIS X 0201 Katakana) in G1: ESC ) I; half-width katakana U+FF61-U+FF9F at 0xA1-0xDF.</summary>
    public static GraphicSet Katakana { get; } =
        new("ISO-IR 13", false, false, [Esc, (byte)')', (byte)'I'], KatakanaTable) { AcceptsShiftJis = true };

    public static GraphicSet Latin1 { get; } = Upper("ISO-IR 100", 'A', SingleByteTables.Latin1);

    public static GraphicSet Latin2 { get; } = Upper("ISO-IR 101", 'B', SingleByteTables.Latin2);

    public static GraphicSet Latin3 { get; } = Upper("ISO-IR 109", 'C', SingleByteTables.Latin3);

    public static GraphicSet Latin4 { get; } = Upper("ISO-IR 110", 'D', SingleByteTables.Latin4);

    public static GraphicSet Greek { get; } = Upper("ISO-IR 126", 'F', SingleByteTables.Greek);

    public static GraphicSet Arabic { get; } = Upper("ISO-IR 127", 'G', SingleByteTables.Arabic);

    public static GraphicSet Hebrew { get; } = Upper("ISO-IR 138", 'H', SingleByteTables.Hebrew);

    public static GraphicSet Cyrillic { get; } = Upper("ISO-IR 144", 'L', SingleByteTables.Cyrillic);

    public static GraphicSet Latin5 { get; } = Upper("ISO-IR 148", 'M', SingleByteTables.Latin5);

    public static GraphicSet Thai { get; } = Upper("ISO-IR 166", 'T', SingleByteTables.Thai);

    /// <summary>ISO-IR 87 (JIS X 0208) in G0: ESC $ B. Row 13 (NEC special characters) decodes but is not written.</summary>
    public static GraphicSet JisX0208 { get; } =
        new("ISO-IR 87", true, true, [Esc, (byte)'$', (byte)'B'], CodePages.BuildJisX0208, cell => cell / 94 != 12);

    /// <summary>ISO-IR 159 (JIS X 0212) in G0: ESC $ ( D.</summary>
    public static GraphicSet JisX0212 { get; } =
        new("ISO-IR 159", true, true, [Esc, (byte)'$', (byte)'(', (byte)'D'], JisX0212Table.Build);

    /// <summary>ISO-IR 149 (KS X 1001) in G1: ESC $ ) C.</summary>
    public static GraphicSet KsX1001 { get; } =
        new("ISO-IR 149", false, true, [Esc, (byte)'$', (byte)')', (byte)'C'], CodePages.BuildKsX1001);

    /// <summary>ISO-IR 58 (GB 2312) in G1: ESC $ ) A.</summary>
    public static GraphicSet Gb2312 { get; } =
        new("ISO-IR 58", false, true, [Esc, (byte)'$', (byte)')', (byte)'A'], CodePages.BuildGb2312);

    /// <summary>
    /// The set designated by an escape sequence (the bytes after ESC: intermediates and final byte), or null when DICOM does
    /// not define it. ESC $ @ (JIS C 6226-1978) and ESC $ ( B are read as JIS X 0208, as ISO-2022-JP decoders do.
    /// </summary>
    public static GraphicSet? FromEscape(ReadOnlySpan<byte> sequence) => sequence switch
    {
        [(byte)'(', (byte)'B'] => Ascii,
        [(byte)'(', (byte)'J'] => Romaji,
        [(byte)')', (byte)'I'] => Katakana,
        [(byte)'-', (byte)'A'] => Latin1,
        [(byte)'-', (byte)'B'] => Latin2,
        [(byte)'-', (byte)'C'] => Latin3,
        [(byte)'-', (byte)'D'] => Latin4,
        [(byte)'-', (byte)'F'] => Greek,
        [(byte)'-', (byte)'G'] => Arabic,
        [(byte)'-', (byte)'H'] => Hebrew,
        [(byte)'-', (byte)'L'] => Cyrillic,
        [(byte)'-', (byte)'M'] => Latin5,
        [(byte)'-', (byte)'T'] => Thai,
        [(byte)'$', (byte)'B'] or [(byte)'$', (byte)'@'] or [(byte)'$', (byte)'(', (byte)'B'] => JisX0208,
        [(byte)'$', (byte)'(', (byte)'D'] => JisX0212,
        [(byte)'$', (byte)')', (byte)'C'] => KsX1001,
        [(byte)'$', (byte)')', (byte)'A'] => Gb2312,
        _ => null,
    };

    private static GraphicSet Upper(string name, char final, string upperHalf) =>
        new(name, false, false, [Esc, (byte)'-', (byte)final], () => upperHalf.ToCharArray());

    private static char[] AsciiTable()
    {
        var table = new char[96];
        for (var i = 0; i < table.Length; i++)
        {
            table[i] = (char)(0x20 + i);
        }

        return table;
    }

    private static char[] KatakanaTable()
    {
        var table = new char[96];
        Array.Fill(table, '\uFFFD');
        for (var b = 0xA1; b <= 0xDF; b++)
        {
            table[b - 0xA0] = (char)(0xFF61 + b - 0xA1);
        }

        return table;
    }
}
