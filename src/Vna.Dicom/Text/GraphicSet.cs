namespace Vna.Dicom.Text;

/// <summary>
/// One graphic character set of ISO 2022 as DICOM uses it (PS3.3 Tables C.12-3 and C.12-4): a 94/96-character single-byte
/// set or a 94 x 94 double-byte set, designated to G0 (bytes 0x21-0x7E) or G1 (bytes 0xA1-0xFE, the high bit set) by its
/// escape sequence.
/// </summary>
internal sealed class GraphicSet
{
    private readonly Lazy<char[]> _table;
    private readonly Lazy<Dictionary<char, ushort>> _reverse;
    private readonly Func<int, bool>? _encodableCell;

    /// <param name="name">The ISO-IR registration, e.g. "ISO-IR 87".</param>
    /// <param name="isG0">True for a G0 set, false for a G1 set.</param>
    /// <param name="isDoubleByte">True for a 94 x 94 set.</param>
    /// <param name="escape">The designation sequence, ESC included.</param>
    /// <param name="load">
    /// The table: for a single-byte set 96 characters for the bytes 0x20-0x7F (G0) or 0xA0-0xFF (G1); for a double-byte
    /// set 94 x 94 characters, index (row - 1) * 94 + (cell - 1). U+FFFD marks an unassigned code.
    /// </param>
    /// <param name="encodableCell">For a double-byte set, false for the table indexes that decode but are not written.</param>
    public GraphicSet(string name, bool isG0, bool isDoubleByte, byte[] escape, Func<char[]> load, Func<int, bool>? encodableCell = null)
    {
        Name = name;
        IsG0 = isG0;
        IsDoubleByte = isDoubleByte;
        Escape = escape;
        _encodableCell = encodableCell;
        _table = new Lazy<char[]>(load);
        _reverse = new Lazy<Dictionary<char, ushort>>(BuildReverse);
    }

    public string Name { get; }

    public bool IsG0 { get; }

    public bool IsDoubleByte { get; }

    /// <summary>The designation escape sequence, ESC included.</summary>
    public byte[] Escape { get; }

    /// <summary>True for the JIS X 0201 Katakana set, whose decoder also accepts Shift_JIS double-byte characters.</summary>
    public bool AcceptsShiftJis { get; init; }

    /// <summary>The character of a single byte (either half), U+FFFD when unassigned.</summary>
    public char Decode(byte b) => _table.Value[(b & 0x7F) - 0x20];

    /// <summary>The character of a double-byte code (either half; both bytes in 0x21-0x7E once the high bit is cleared).</summary>
    public char Decode(byte first, byte second) => _table.Value[(((first & 0x7F) - 0x21) * 94) + (second & 0x7F) - 0x21];

    /// <summary>The character of a JIS-style row and cell (1-94 each).</summary>
    public char DecodeCell(int row, int cell) => _table.Value[((row - 1) * 94) + cell - 1];

    /// <summary>
    /// The code of <paramref name="c"/> in this set as written: one byte, or two bytes high byte first, with the high bit
    /// set for a G1 set. Characters below U+0080 belong to the G0 ASCII/Romaji sets only.
    /// </summary>
    public bool TryEncode(char c, out ushort code) => _reverse.Value.TryGetValue(c, out code);

    public override string ToString() => Name;

    private Dictionary<char, ushort> BuildReverse()
    {
        var table = _table.Value;
        var reverse = new Dictionary<char, ushort>(table.Length);
        var singleByteG0 = IsG0 && !IsDoubleByte;
        for (var i = 0; i < table.Length; i++)
        {
            var c = table[i];
            if (c == '\uFFFD' || (c < 0x80 && !singleByteG0) || (_encodableCell is not null && !_encodableCell(i)))
            {
                continue;
            }

            int code;
            if (IsDoubleByte)
            {
                code = ((0x21 + (i / 94)) << 8) | (0x21 + (i % 94));
                if (!IsG0)
                {
                    code |= 0x8080;
                }
            }
            else
            {
                code = 0x20 + i;
                if (!IsG0)
                {
                    code |= 0x80;
                }
            }

            reverse.TryAdd(c, (ushort)code);
        }

        return reverse;
    }
}
