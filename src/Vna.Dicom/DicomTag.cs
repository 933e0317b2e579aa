using System.Globalization;

namespace Vna.Dicom;

/// <summary>A DICOM attribute tag: group and element packed into 32 bits, ordered as the standard orders them.</summary>
public readonly partial struct DicomTag : IEquatable<DicomTag>, IComparable<DicomTag>
{
    private readonly uint _value;

    public DicomTag(ushort group, ushort element) => _value = ((uint)group << 16) | element;

    public DicomTag(uint value) => _value = value;

    public ushort Group => (ushort)(_value >> 16);

    public ushort Element => (ushort)_value;

    /// <summary>The tag as one 32-bit number, group in the high half (0x00100010 for Patient's Name).</summary>
    public uint Value => _value;

    /// <summary>True for odd groups other than 0001, 0003, 0005, 0007 and FFFF (PS3.5 7.8.1).</summary>
    public bool IsPrivate => (Group & 1) == 1 && Group > 0x0007 && Group != 0xFFFF;

    /// <summary>A Private Creator Data Element: (gggg,0010)-(gggg,00FF) in a private group.</summary>
    public bool IsPrivateCreator => IsPrivate && Element >= 0x0010 && Element <= 0x00FF;

    /// <summary>The block (xx) of a private data element (gggg,xxee), or 0 when the tag is not a private data element.</summary>
    public byte PrivateBlock => IsPrivate && Element >= 0x1000 ? (byte)(Element >> 8) : (byte)0;

    /// <summary>The private creator tag that reserves this private data element's block.</summary>
    public DicomTag PrivateCreatorTag => new(Group, PrivateBlock);

    public bool IsGroupLength => Element == 0x0000;

    /// <summary>Item, Item Delimitation and Sequence Delimitation tags of group FFFE.</summary>
    public bool IsDelimiter => Group == 0xFFFE;

    public bool IsFileMetaInformation => Group == 0x0002;

    public static DicomTag Item { get; } = new(0xFFFE, 0xE000);

    public static DicomTag ItemDelimitationItem { get; } = new(0xFFFE, 0xE00D);

    public static DicomTag SequenceDelimitationItem { get; } = new(0xFFFE, 0xE0DD);

    public bool Equals(DicomTag other) => _value == other._value;

    public override bool Equals(object? obj) => obj is DicomTag other && Equals(other);

    public override int GetHashCode() => (int)_value;

    public int CompareTo(DicomTag other) => _value.CompareTo(other._value);

    public static bool operator ==(DicomTag left, DicomTag right) => left._value == right._value;

    public static bool operator !=(DicomTag left, DicomTag right) => left._value != right._value;

    public static bool operator <(DicomTag left, DicomTag right) => left._value < right._value;

    public static bool operator >(DicomTag left, DicomTag right) => left._value > right._value;

    public static bool operator <=(DicomTag left, DicomTag right) => left._value <= right._value;

    public static bool operator >=(DicomTag left, DicomTag right) => left._value >= right._value;

    /// <summary>"(0010,0010)", as DCMTK prints it.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"({Group:X4},{Element:X4})");

    /// <summary>"00100010", the form DICOM JSON uses as a key.</summary>
    public string ToJsonKey() => _value.ToString("X8", CultureInfo.InvariantCulture);

    /// <summary>Parses "(0010,0010)", "0010,0010", "00100010" or a dictionary keyword ("PatientName").</summary>
    public static DicomTag Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (TryParse(text, out var tag))
        {
            return tag;
        }

        throw new FormatException($"'{text}' is not a DICOM tag (expected (gggg,eeee), ggggeeee or a keyword).");
    }

    public static bool TryParse(string? text, out DicomTag tag)
    {
        tag = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim();
        if (s.StartsWith('(') && s.EndsWith(')'))
        {
            s = s[1..^1];
        }

        var comma = s.IndexOf(',', StringComparison.Ordinal);
        if (comma == 4 && s.Length == 9
            && ushort.TryParse(s.AsSpan(0, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var g1)
            && ushort.TryParse(s.AsSpan(5, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var e1))
        {
            tag = new DicomTag(g1, e1);
            return true;
        }

        if (s.Length == 8 && uint.TryParse(s, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var v))
        {
            tag = new DicomTag(v);
            return true;
        }

        var entry = DicomDictionary.LookupKeyword(s);
        if (entry is not null)
        {
            tag = entry.Tag;
            return true;
        }

        return false;
    }
}
