using System.Text;

namespace Vna.Dicom.Text;

/// <summary>
/// The Windows/ISO code pages of <see cref="CodePagesEncodingProvider"/> (inbox in .NET, no package), registered once,
/// and the 94 x 94 tables of the double-byte character sets built from them.
/// </summary>
internal static class CodePages
{
    /// <summary>GB 18030 (stand-alone term GB18030).</summary>
    public const int Gb18030 = 54936;

    /// <summary>GBK (code page 936, a superset of GB 2312; stand-alone term GBK).</summary>
    public const int Gbk = 936;

    /// <summary>Shift_JIS as Windows writes it (932); only for Shift_JIS bytes outside JIS X 0208 met under ISO_IR 13.</summary>
    public const int ShiftJis = 932;

    /// <summary>EUC-JP "JIS 0208-1990 and 0212-1990" (20932): its JIS X 0208 part matches the standard mapping.</summary>
    private const int EucJp = 20932;

    /// <summary>EUC-KR (51949): KS X 1001 with the high bit set.</summary>
    private const int EucKr = 51949;

    /// <summary>GB2312-80 (20936): GB 2312 with the high bit set.</summary>
    private const int Gb2312 = 20936;

    static CodePages() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>Runs the static constructor (registration of the provider) if it has not run yet.</summary>
    public static void EnsureRegistered()
    {
    }

    /// <summary>The code page, replacing what cannot be decoded by U+FFFD and what cannot be encoded by '?'.</summary>
    public static Encoding Get(int codePage) =>
        Encoding.GetEncoding(codePage, new EncoderReplacementFallback("?"), new DecoderReplacementFallback("\uFFFD"));

    /// <summary>The code page, throwing on what cannot be encoded or decoded.</summary>
    public static Encoding GetStrict(int codePage) =>
        Encoding.GetEncoding(codePage, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);

    /// <summary>
    /// JIS X 0208 (ISO-IR 87) from code page 20932, rows 1-84: it agrees with the standard mapping (the one of CPython's
    /// iso2022_jp codec, pydicom's) on every assigned cell, and adds the NEC special characters of row 13 (circled digits,
    /// Roman numerals) that Japanese systems write; rows 85-94 (user-defined, private use) are left unassigned.
    /// </summary>
    public static char[] BuildJisX0208() => Build94x94(EucJp, lastRow: 84, []);

    /// <summary>
    /// KS X 1001 (ISO-IR 149) from code page 51949, with one correction: .NET maps 0x3453 to U+B2D6, the standard
    /// (Unicode's KSC5601 table, CPython's euc_kr codec, glibc) maps it to U+B2D2.
    /// </summary>
    public static char[] BuildKsX1001() => Build94x94(EucKr, lastRow: 94, [(0x3453, '\uB2D2')]);

    /// <summary>GB 2312 (ISO-IR 58) from code page 20936, adding 0x212C (U+2016 DOUBLE VERTICAL LINE) that 20936 lacks.</summary>
    public static char[] BuildGb2312() => Build94x94(Gb2312, lastRow: 94, [(0x212C, '\u2016')]);

    /// <summary>
    /// A 94 x 94 table, index (row - 1) * 94 + (cell - 1), from a code page in EUC form (the cell's two bytes with the high
    /// bit set); U+FFFD where the code page has no single character.
    /// </summary>
    private static char[] Build94x94(int codePage, int lastRow, ReadOnlySpan<(ushort Code, char Char)> overrides)
    {
        var encoding = Get(codePage);
        var table = new char[94 * 94];
        Array.Fill(table, '\uFFFD');
        Span<byte> pair = stackalloc byte[2];
        Span<char> chars = stackalloc char[4];
        for (var row = 1; row <= lastRow; row++)
        {
            for (var cell = 1; cell <= 94; cell++)
            {
                pair[0] = (byte)(0xA0 + row);
                pair[1] = (byte)(0xA0 + cell);
                var count = encoding.GetChars(pair, chars);
                if (count == 1 && chars[0] != '\uFFFD' && !char.IsSurrogate(chars[0]))
                {
                    table[((row - 1) * 94) + cell - 1] = chars[0];
                }
            }
        }

        foreach (var (code, ch) in overrides)
        {
            table[((((code >> 8) & 0x7F) - 0x21) * 94) + (code & 0x7F) - 0x21] = ch;
        }

        return table;
    }
}
