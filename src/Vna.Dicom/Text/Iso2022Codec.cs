using System.Text;

namespace Vna.Dicom.Text;

/// <summary>
/// Decoding and encoding of values in the ISO 2022 character sets of DICOM (PS3.5 6.1.2.5): G0 and G1 designated by escape
/// sequences; both return to the initial sets (those of value 1 of Specific Character Set) at every control character
/// (CR, LF, FF, TAB, ...), at the value delimiter '\' and, in PN, at the '^' and '=' delimiters.
/// </summary>
internal sealed class Iso2022Codec
{
    private const byte Esc = 0x1B;

    private readonly GraphicSet _initialG0;
    private readonly GraphicSet? _initialG1;
    private readonly GraphicSet? _initialG1Written;
    private readonly GraphicSet[] _candidates;

    /// <param name="terms">The effective terms, value 1 first; none stand-alone.</param>
    public Iso2022Codec(IReadOnlyList<CharacterSetTerm> terms)
    {
        var first = terms.Count > 0 ? terms[0] : CharacterSetTerms.IsoIr6;

        // Value 1 is the initial state: its single-byte G0 (ASCII or JIS X 0201 Romaji; ASCII when value 1 is a
        // multi-byte G0 set) and its G1. The default repertoire has no G1; bytes above 0x7F there decode as Latin-1 (as
        // pydicom does) but Latin-1 is never chosen to write a character (ISO_IR 6 cannot represent it).
        _initialG0 = first.G0 is { IsDoubleByte: false } g0 ? g0 : GraphicSets.Ascii;
        _initialG1Written = first.G1;
        _initialG1 = first.IsDefaultRepertoire ? GraphicSets.Latin1 : first.G1;
        ToleratesLatin1 = first.IsDefaultRepertoire;

        var candidates = new List<GraphicSet>();
        foreach (var term in terms)
        {
            foreach (var set in (ReadOnlySpan<GraphicSet?>)[term.G0, term.G1])
            {
                if (set is not null && !candidates.Contains(set))
                {
                    candidates.Add(set);
                }
            }
        }

        if (!candidates.Contains(_initialG0))
        {
            candidates.Add(_initialG0);
        }

        _candidates = [.. candidates];
    }

    /// <summary>True when value 1 is the default repertoire: unrepresentable U+0080-U+00FF are written as Latin-1 bytes.</summary>
    public bool ToleratesLatin1 { get; }

    public string Decode(ReadOnlySpan<byte> value, DicomVR vr)
    {
        if (!value.ContainsAnyInRange((byte)0x80, (byte)0xFF) && !value.Contains(Esc))
        {
            return Encoding.ASCII.GetString(value);
        }

        var text = new StringBuilder(value.Length);
        var g0 = _initialG0;
        var g1 = _initialG1;
        var i = 0;
        while (i < value.Length)
        {
            var b = value[i];
            if (b == Esc)
            {
                var length = EscapeLength(value[i..]);
                var set = length > 0 ? GraphicSets.FromEscape(value.Slice(i + 1, length - 1)) : null;
                if (set is null)
                {
                    // Not a DICOM character set: keep the bytes as text in the initial sets (as pydicom does).
                    text.Append('\u001B');
                    g0 = _initialG0;
                    g1 = _initialG1;
                    i++;
                }
                else
                {
                    if (set.IsG0)
                    {
                        g0 = set;
                    }
                    else
                    {
                        g1 = set;
                    }

                    i += length;
                }

                continue;
            }

            if (b <= 0x20 || b == 0x7F)
            {
                text.Append((char)b);
                if (b < 0x20)
                {
                    g0 = _initialG0;
                    g1 = _initialG1;
                }

                i++;
                continue;
            }

            if (b < 0x80)
            {
                if (g0.IsDoubleByte)
                {
                    // Bytes go in pairs: a '\', '^' or '=' byte here is half of a character, not a delimiter.
                    if (i + 1 < value.Length && value[i + 1] is >= 0x21 and <= 0x7E)
                    {
                        text.Append(g0.Decode(b, value[i + 1]));
                        i += 2;
                    }
                    else
                    {
                        text.Append('\uFFFD');
                        i++;
                    }

                    continue;
                }

                text.Append(g0.Decode(b));
                if (IsDelimiter(b, vr))
                {
                    g0 = _initialG0;
                    g1 = _initialG1;
                }

                i++;
                continue;
            }

            i += DecodeG1(value, i, g1, text);
        }

        return text.ToString();
    }

    /// <summary>
    /// Writes <paramref name="value"/>: each character in the sets in force if they hold it, else in the first set of the
    /// terms (in their order) that holds it, designated by its escape sequence; G0 returns to the initial set before every
    /// delimiter and control character, before a G1 character and at the end of the value. A character no set holds is written '?' (or, when
    /// value 1 is the default repertoire, as its Latin-1 byte if it has one, which the decoder reads back).
    /// </summary>
    public byte[] Encode(string value, DicomVR vr)
    {
        if (!value.AsSpan().ContainsAnyExceptInRange('\0', '\u007F') && !value.Contains('\u001B', StringComparison.Ordinal))
        {
            return Encoding.ASCII.GetBytes(value);
        }

        var output = new List<byte>(value.Length * 2);
        var g0 = _initialG0;
        var g1 = _initialG1Written;
        var g1IsInitial = true;
        foreach (var rune in value.EnumerateRunes())
        {
            var cp = rune.Value;
            if ((cp < 0x20 && cp != Esc) || (cp < 0x80 && IsDelimiter((byte)cp, vr)))
            {
                if (g0 != _initialG0)
                {
                    output.AddRange(_initialG0.Escape);
                }

                output.Add((byte)cp);
                g0 = _initialG0;
                g1 = _initialG1Written;
                g1IsInitial = true;
                continue;
            }

            if (cp != Esc && cp <= 0xFFFF)
            {
                var c = (char)cp;
                if (g0.TryEncode(c, out var code))
                {
                    Write(output, code);
                    continue;
                }

                var inG1 = g1 is not null && g1.TryEncode(c, out code);
                var set = inG1 ? g1 : Array.Find(_candidates, s => s.TryEncode(c, out _));
                if (set is not null)
                {
                    if (!set.IsG0 && g0.IsDoubleByte)
                    {
                        // G0 back to the initial set before a G1 character: ISO 2022 does not require it (G0 and G1 are
                        // independent), but decoders that apply the last escape sequence to all that follows (pydicom)
                        // would otherwise read the G1 bytes, and any delimiter after them, in the double-byte set.
                        output.AddRange(_initialG0.Escape);
                        g0 = _initialG0;
                    }

                    if (!inG1)
                    {
                        set.TryEncode(c, out code);
                        output.AddRange(set.Escape);
                        if (set.IsG0)
                        {
                            g0 = set;
                        }
                        else
                        {
                            g1 = set;
                            g1IsInitial = false;
                        }
                    }

                    Write(output, code);
                    continue;
                }
            }

            if (ToleratesLatin1 && g1IsInitial && cp is >= 0x80 and <= 0xFF)
            {
                output.Add((byte)cp);
                continue;
            }

            if (g0.IsDoubleByte)
            {
                output.AddRange(_initialG0.Escape);
                g0 = _initialG0;
            }

            output.Add((byte)'?');
        }

        if (g0 != _initialG0)
        {
            output.AddRange(_initialG0.Escape);
        }

        return [.. output];
    }

    /// <summary>True when every character of <paramref name="value"/> is in one of the sets of the terms.</summary>
    public bool CanEncode(string value)
    {
        foreach (var rune in value.EnumerateRunes())
        {
            var cp = rune.Value;
            if (cp < 0x20 && cp != Esc)
            {
                continue;
            }

            if (cp == Esc || cp > 0xFFFF)
            {
                return false;
            }

            var c = (char)cp;
            if (Array.Find(_candidates, s => s.TryEncode(c, out _)) is null)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether byte <paramref name="b"/> (below 0x80) delimits values or PN components in <paramref name="vr"/>.</summary>
    private static bool IsDelimiter(byte b, DicomVR vr) =>
        (b == '\\' && vr.IsMultiValuedString()) || (vr == DicomVR.PN && b is (byte)'^' or (byte)'=');

    /// <summary>The length of the escape sequence at the start of <paramref name="value"/> (ESC, intermediates 0x20-0x2F, final 0x30-0x7E), or 0.</summary>
    private static int EscapeLength(ReadOnlySpan<byte> value)
    {
        var i = 1;
        while (i < value.Length && value[i] is >= 0x20 and <= 0x2F)
        {
            i++;
        }

        return i > 1 && i < value.Length && value[i] is >= 0x30 and <= 0x7E ? i + 1 : 0;
    }

    private static void Write(List<byte> output, ushort code)
    {
        if (code > 0xFF)
        {
            output.Add((byte)(code >> 8));
        }

        output.Add((byte)code);
    }

    /// <summary>Decodes the character at <paramref name="i"/> (a byte above 0x7F) in G1 and returns the bytes it used.</summary>
    private static int DecodeG1(ReadOnlySpan<byte> value, int i, GraphicSet? g1, StringBuilder text)
    {
        var b = value[i];
        var next = i + 1 < value.Length ? value[i + 1] : -1;
        if (g1 is null)
        {
            text.Append('\uFFFD');
            return 1;
        }

        if (g1.IsDoubleByte)
        {
            if (b is >= 0xA1 and <= 0xFE && next is >= 0xA1 and <= 0xFE)
            {
                text.Append(g1.Decode(b, (byte)next));
                return 2;
            }

            text.Append('\uFFFD');
            return 1;
        }

        if (g1.AcceptsShiftJis && b is (>= 0x81 and <= 0x9F) or (>= 0xE0 and <= 0xFC)
            && next is (>= 0x40 and <= 0x7E) or (>= 0x80 and <= 0xFC))
        {
            // Shift_JIS kanji where JIS X 0201 has no character: data written as Shift_JIS under ISO_IR 13 (pydicom reads
            // ISO_IR 13 with its shift_jis codec, so it decodes these the same way).
            AppendShiftJis(b, (byte)next, text);
            return 2;
        }

        if (b < 0xA0)
        {
            // C1 control (the ISO 8859 codecs map them to U+0080-U+009F)
            text.Append(g1.AcceptsShiftJis ? '\uFFFD' : (char)b);
            return 1;
        }

        text.Append(g1.Decode(b));
        return 1;
    }

    private static void AppendShiftJis(byte lead, byte trail, StringBuilder text)
    {
        var adjusted = lead >= 0xE0 ? lead - 0x40 : lead;
        var row = ((adjusted - 0x81) * 2) + 1;
        int cell;
        if (trail >= 0x9F)
        {
            row++;
            cell = trail - 0x9E;
        }
        else
        {
            cell = trail - 0x3F - (trail >= 0x80 ? 1 : 0);
        }

        var c = row <= 94 ? GraphicSets.JisX0208.DecodeCell(row, cell) : '\uFFFD';
        if (c != '\uFFFD')
        {
            text.Append(c);
            return;
        }

        // Outside JIS X 0208 (NEC/IBM extensions, user-defined area): as Windows code page 932 reads it.
        text.Append(CodePages.Get(CodePages.ShiftJis).GetString([lead, trail]));
    }
}
