using System.Collections.Frozen;

namespace Vna.Dicom.Text;

/// <summary>
/// The defined terms of Specific Character Set and the lenient reading of misspelt ones: pydicom's corrections
/// ("ISO IR 100", "ISO-IR 100" for "ISO_IR 100"; "ISO_2022_IR_87" for "ISO 2022 IR 87") and Python codec names it
/// accepts (utf8, latin_1, ...) are taken with a warning; anything else is unknown.
/// </summary>
internal static class CharacterSetTerms
{
    public const int Utf8CodePage = 65001;

    public static CharacterSetTerm IsoIr6 { get; } = new("ISO_IR 6", GraphicSets.Ascii, null);

    private static readonly CharacterSetTerm[] s_defined =
    [
        IsoIr6,
        new("ISO 2022 IR 6", GraphicSets.Ascii, null),
        .. SingleByte("100", GraphicSets.Latin1),
        .. SingleByte("101", GraphicSets.Latin2),
        .. SingleByte("109", GraphicSets.Latin3),
        .. SingleByte("110", GraphicSets.Latin4),
        .. SingleByte("126", GraphicSets.Greek),
        .. SingleByte("127", GraphicSets.Arabic),
        .. SingleByte("138", GraphicSets.Hebrew),
        .. SingleByte("144", GraphicSets.Cyrillic),
        .. SingleByte("148", GraphicSets.Latin5),
        .. SingleByte("166", GraphicSets.Thai),
        new("ISO_IR 13", GraphicSets.Romaji, GraphicSets.Katakana),
        new("ISO 2022 IR 13", GraphicSets.Romaji, GraphicSets.Katakana),
        new("ISO 2022 IR 87", GraphicSets.JisX0208, null),
        new("ISO 2022 IR 159", GraphicSets.JisX0212, null),
        new("ISO 2022 IR 149", null, GraphicSets.KsX1001),
        new("ISO 2022 IR 58", null, GraphicSets.Gb2312),
        new("ISO_IR 192", Utf8CodePage),
        new("GB18030", CodePages.Gb18030),
        new("GBK", CodePages.Gbk),
    ];

    private static readonly FrozenDictionary<string, CharacterSetTerm> s_exact =
        s_defined.ToFrozenDictionary(t => t.Name, StringComparer.Ordinal);

    // Every defined term with its separators removed, upper case: "ISOIR100", "ISO2022IR87", "GB18030".
    private static readonly FrozenDictionary<string, CharacterSetTerm> s_normalized =
        s_defined.ToFrozenDictionary(t => Normalize(t.Name), StringComparer.Ordinal);

    // Non-standard spellings met in data or accepted by pydicom (its python_encoding table and Python codec names).
    private static readonly FrozenDictionary<string, string> s_aliases = new Dictionary<string, string>
    {
        ["ISO202258"] = "ISO 2022 IR 58", // pydicom, "from DICOM correction CP1234"
        ["ISO2022GBK"] = "GBK",
        ["GB2312"] = "ISO 2022 IR 58",
        ["EUCCN"] = "ISO 2022 IR 58",
        ["UTF8"] = "ISO_IR 192",
        ["ASCII"] = "ISO_IR 6",
        ["USASCII"] = "ISO_IR 6",
        ["LATIN1"] = "ISO_IR 100",
        ["ISO88591"] = "ISO_IR 100",
        ["ISO88592"] = "ISO_IR 101",
        ["ISO88593"] = "ISO_IR 109",
        ["ISO88594"] = "ISO_IR 110",
        ["ISO88595"] = "ISO_IR 144",
        ["ISO88596"] = "ISO_IR 127",
        ["ISO88597"] = "ISO_IR 126",
        ["ISO88598"] = "ISO_IR 138",
        ["ISO88599"] = "ISO_IR 148",
        ["ISO885911"] = "ISO_IR 166",
        ["TIS620"] = "ISO_IR 166",
        ["SHIFTJIS"] = "ISO_IR 13",
        ["EUCKR"] = "ISO 2022 IR 149",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The defined term exactly as spelt, or null.</summary>
    public static CharacterSetTerm? Find(string name) => s_exact.GetValueOrDefault(name);

    /// <summary>
    /// The term that <paramref name="value"/> (already trimmed) names, correcting common misspellings with a warning, or null
    /// (with a warning) when it names none.
    /// </summary>
    public static CharacterSetTerm? Resolve(string value, ICollection<string>? warnings)
    {
        if (s_exact.TryGetValue(value, out var exact))
        {
            return exact;
        }

        var key = Normalize(value);
        var corrected = s_normalized.GetValueOrDefault(key);
        if (corrected is null && key.StartsWith("ISOIR", StringComparison.Ordinal))
        {
            // "ISO_IR 87" for "ISO 2022 IR 87": only the code extension form exists
            corrected = s_normalized.GetValueOrDefault("ISO2022IR" + key[5..]);
        }

        if (corrected is null && s_aliases.TryGetValue(key, out var alias))
        {
            corrected = s_exact[alias];
        }

        if (corrected is not null)
        {
            warnings?.Add($"Incorrect value for Specific Character Set '{value}' - assuming '{corrected.Name}'.");
            return corrected;
        }

        warnings?.Add($"Unknown Specific Character Set term '{value}' - using the default character repertoire (ISO_IR 6) instead.");
        return null;
    }

    /// <summary>The term of the other form (ISO_IR 100 for ISO 2022 IR 100 and back), or null when there is none.</summary>
    public static CharacterSetTerm? OtherForm(CharacterSetTerm term) =>
        term.Name.StartsWith("ISO_IR ", StringComparison.Ordinal)
            ? s_exact.GetValueOrDefault("ISO 2022 IR " + term.Name[7..])
            : term.Name.StartsWith("ISO 2022 IR ", StringComparison.Ordinal)
                ? s_exact.GetValueOrDefault("ISO_IR " + term.Name[12..])
                : null;

    private static CharacterSetTerm[] SingleByte(string number, GraphicSet g1) =>
    [
        new("ISO_IR " + number, GraphicSets.Ascii, g1),
        new("ISO 2022 IR " + number, GraphicSets.Ascii, g1),
    ];

    private static string Normalize(string value)
    {
        Span<char> buffer = stackalloc char[Math.Min(value.Length, 64)];
        var length = 0;
        foreach (var c in value)
        {
            if (c is ' ' or '_' or '-' or '.')
            {
                continue;
            }

            if (length == buffer.Length)
            {
                return value.ToUpperInvariant();
            }

            buffer[length++] = char.ToUpperInvariant(c);
        }

        return new string(buffer[..length]);
    }
}
