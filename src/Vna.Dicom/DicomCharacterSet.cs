using System.Text;
using Vna.Dicom.Text;

namespace Vna.Dicom;

/// <summary>
/// The character repertoire of a data set: Specific Character Set (0008,0005) (PS3.3 C.12.1.1.2, PS3.5 6.1). It decodes and
/// encodes the values of SH, LO, ST, LT, UC, UT and PN; the other string VRs are in the default repertoire, read here as
/// Latin-1 so that stray bytes above 0x7F survive a read and a write (pydicom reads them the same way).
/// </summary>
/// <remarks>
/// <para>Supported terms: ISO_IR 6 (the default), ISO_IR 100, 101, 109, 110, 126, 127, 138, 144, 148, 166, ISO_IR 13, their
/// ISO 2022 forms, ISO 2022 IR 87, 159, 149 and 58 (code extensions, PS3.5 6.1.2.5), and the stand-alone ISO_IR 192
/// (UTF-8), GB18030 and GBK. Decoding follows pydicom 2.3 and is lenient: escape sequences are honoured in any value (even
/// for a set that is not listed), bytes above 0x7F in the default repertoire are Latin-1, Shift_JIS kanji under ISO_IR 13
/// decode, and what cannot be decoded becomes U+FFFD.</para>
/// <para>The escape state returns to the initial sets (those of value 1) at each control character, at the value
/// delimiter '\' of the multi-valued VRs and at the PN delimiters '^' and '='. Double-byte characters in G0 (JIS X 0208,
/// JIS X 0212) are read in pairs, so a 0x5C, 0x5E or 0x3D byte inside one is not a delimiter; the stand-alone encodings
/// decode the whole value at once (GB18030 and GBK second bytes can be 0x5C).</para>
/// </remarks>
public sealed class DicomCharacterSet : IEquatable<DicomCharacterSet>
{
    private readonly CharacterSetTerm[] _effective;
    private readonly Iso2022Codec? _codec;
    private readonly Encoding? _standAlone;
    private readonly Encoding? _standAloneStrict;

    static DicomCharacterSet() => CodePages.EnsureRegistered();

    private DicomCharacterSet(string[] terms, CharacterSetTerm[] effective)
    {
        Terms = terms;
        _effective = effective;
        EffectiveTerms = Array.ConvertAll(effective, t => t.Name);
        IsDefault = effective.Length == 0 || (effective.Length == 1 && effective[0].IsDefaultRepertoire);
        var standAlone = effective.Length == 1 && effective[0].IsStandAlone ? effective[0].StandAloneCodePage : 0;
        switch (standAlone)
        {
            case 0:
                _codec = new Iso2022Codec(effective);
                break;
            case CharacterSetTerms.Utf8CodePage:
                _standAlone = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);
                break;
            default:
                _standAlone = CodePages.Get(standAlone);
                _standAloneStrict = standAlone == CodePages.Gb18030 ? null : CodePages.GetStrict(standAlone);
                break;
        }
    }

    /// <summary>No Specific Character Set: ISO_IR 6, bytes above 0x7F read as Latin-1 (ISO 8859-1).</summary>
    public static DicomCharacterSet Default { get; } = new([], []);

    /// <summary>The values of (0008,0005) as given (trimmed of padding).</summary>
    public IReadOnlyList<string> Terms { get; }

    /// <summary>
    /// The terms in use: misspellings corrected, unknown terms dropped (an unknown value 1 becomes ISO_IR 6), terms after a
    /// stand-alone value 1 and stand-alone terms after value 1 dropped, an empty value 1 as ISO 2022 IR 6.
    /// </summary>
    public IReadOnlyList<string> EffectiveTerms { get; }

    /// <summary>True when the repertoire is the default one (no terms, or ISO_IR 6 / ISO 2022 IR 6 alone).</summary>
    public bool IsDefault { get; }

    /// <summary>
    /// The character set of the values of (0008,0005). Never throws: an unknown term adds a warning and falls back to the
    /// default repertoire (value 1) or is ignored (later values); common misspellings ("ISO-IR 100", "ISO IR 100",
    /// "ISO_IR_100", "ISO_2022_IR_87", Python codec names such as "latin_1") are corrected with a warning.
    /// </summary>
    public static DicomCharacterSet FromTerms(IReadOnlyList<string> terms, ICollection<string>? warnings = null)
    {
        if (terms is null || terms.Count == 0)
        {
            return Default;
        }

        var given = new string[terms.Count];
        for (var i = 0; i < given.Length; i++)
        {
            given[i] = (terms[i] ?? string.Empty).Trim(' ', '\0');
        }

        var extended = false;
        for (var i = 1; i < given.Length; i++)
        {
            extended |= given[i].Length > 0;
        }

        var effective = new List<CharacterSetTerm>(given.Length);
        for (var i = 0; i < given.Length; i++)
        {
            var text = given[i];
            CharacterSetTerm? term;
            if (text.Length == 0)
            {
                if (i > 0)
                {
                    continue;
                }

                term = extended ? CharacterSetTerms.Find("ISO 2022 IR 6") : CharacterSetTerms.IsoIr6;
            }
            else
            {
                term = CharacterSetTerms.Resolve(text, warnings);
            }

            if (term is null)
            {
                if (i > 0)
                {
                    continue;
                }

                term = extended ? CharacterSetTerms.Find("ISO 2022 IR 6") : CharacterSetTerms.IsoIr6;
            }

            if (term!.IsStandAlone)
            {
                if (i > 0)
                {
                    warnings?.Add($"Value '{term.Name}' of Specific Character Set cannot be used as a code extension - ignoring it.");
                    continue;
                }

                if (extended)
                {
                    warnings?.Add($"Value '{term.Name}' of Specific Character Set does not allow code extensions - ignoring: " +
                        string.Join(", ", given.Skip(1).Where(t => t.Length > 0)) + ".");
                    effective.Add(term);
                    break;
                }
            }
            else if (extended && !term.IsCodeExtension && CharacterSetTerms.OtherForm(term) is { } codeExtension)
            {
                warnings?.Add($"Value '{term.Name}' of Specific Character Set is used with code extensions - assuming '{codeExtension.Name}'.");
                term = codeExtension;
            }

            if (!effective.Exists(e => e.G0 == term.G0 && e.G1 == term.G1 && e.StandAloneCodePage == term.StandAloneCodePage))
            {
                effective.Add(term);
            }
        }

        return new DicomCharacterSet(given, [.. effective]);
    }

    /// <summary>The character set of a raw (0008,0005) value such as "\ISO 2022 IR 87" (values separated by '\').</summary>
    public static DicomCharacterSet FromValue(string? value, ICollection<string>? warnings = null) =>
        string.IsNullOrWhiteSpace(value) ? Default : FromTerms(value.Split('\\'), warnings);

    /// <summary>
    /// The text of a whole element value (all its values, with their '\' separators, and PN delimiters); padding is kept.
    /// VRs that do not use the Specific Character Set decode as the default repertoire (Latin-1 for bytes above 0x7F).
    /// </summary>
    public string Decode(ReadOnlySpan<byte> value, DicomVR vr)
    {
        if (value.IsEmpty)
        {
            return string.Empty;
        }

        if (!vr.UsesSpecificCharacterSet())
        {
            return Encoding.Latin1.GetString(value);
        }

        return _standAlone is not null ? _standAlone.GetString(value) : _codec!.Decode(value, vr);
    }

    /// <summary>
    /// The bytes of a whole element value (no padding added). With code extensions the escape sequences are written as
    /// PS3.5 6.1.2.5.3 requires: each character in the sets in force if they hold it, else in the first listed set that
    /// does; G0 back to the initial set before every '\' (multi-valued VRs), '^' and '=' (PN), control character
    /// (CR, LF, FF, TAB), before a G1 character and at the end. A character that no listed set holds is written '?' (check <see cref="CanEncode(string)"/>
    /// first); in the default repertoire, characters up to U+00FF are written as Latin-1 bytes, matching <see cref="Decode"/>.
    /// </summary>
    public byte[] Encode(string value, DicomVR vr)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0)
        {
            return [];
        }

        if (!vr.UsesSpecificCharacterSet())
        {
            return Encoding.Latin1.GetBytes(value);
        }

        return _standAlone is not null ? _standAlone.GetBytes(value) : _codec!.Encode(value, vr);
    }

    /// <summary>True when every character of <paramref name="value"/> is in the repertoire of the listed terms (strictly: the default repertoire is ASCII).</summary>
    public bool CanEncode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (_codec is not null)
        {
            return _codec.CanEncode(value);
        }

        if (HasLoneSurrogate(value))
        {
            return false;
        }

        if (_standAloneStrict is null)
        {
            return true; // UTF-8 and GB18030 hold all of Unicode
        }

        try
        {
            return _standAloneStrict.GetString(_standAloneStrict.GetBytes(value)) == value;
        }
        catch (Exception e) when (e is EncoderFallbackException or DecoderFallbackException)
        {
            return false;
        }
    }

    /// <summary>As <see cref="CanEncode(string)"/> for a VR that uses the character set; ASCII only for the other VRs.</summary>
    public bool CanEncode(string value, DicomVR vr)
    {
        ArgumentNullException.ThrowIfNull(value);
        return vr.UsesSpecificCharacterSet()
            ? CanEncode(value)
            : !value.AsSpan().ContainsAnyExceptInRange('\0', '\u007F') && !value.Contains('\u001B', StringComparison.Ordinal);
    }

    public bool Equals(DicomCharacterSet? other) =>
        other is not null && (ReferenceEquals(this, other) || EffectiveTerms.SequenceEqual(other.EffectiveTerms, StringComparer.Ordinal));

    public override bool Equals(object? obj) => obj is DicomCharacterSet other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var term in EffectiveTerms)
        {
            hash.Add(term, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    public override string ToString() => _effective.Length == 0 ? "ISO_IR 6 (default)" : string.Join('\\', EffectiveTerms);

    private static bool HasLoneSurrogate(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return true;
            }
        }

        return false;
    }
}
