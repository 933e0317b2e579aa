using System.Globalization;

namespace Vna.Dicom.Generators;

/// <summary>
/// A tag as the sources write it: eight hex digits, where an 'x' stands for any hex digit ("60xx3000", "002031xx").
/// <see cref="Value"/> has 0 in the wildcard nibbles; <see cref="Mask"/> has the bits that must match.
/// </summary>
internal readonly record struct TagPattern(uint Value, uint Mask)
{
    public const uint ExactMask = 0xFFFFFFFF;

    public bool IsExact => Mask == ExactMask;

    public ushort Group => (ushort)(Value >> 16);

    public ushort Element => (ushort)Value;

    /// <summary>
    /// Parses "ggggeeee" with optional 'x' nibbles. A wildcard in the low nibble of the group means a repeating group
    /// (50xx, 60xx, 7Fxx), which PS3.5 7.6 restricts to even groups: the lowest group bit then stays in the mask, so
    /// odd (private) groups such as 6001 never match.
    /// </summary>
    public static TagPattern Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length != 8)
        {
            throw new FormatException($"'{text}' is not an eight-character tag pattern.");
        }

        uint value = 0;
        uint mask = 0;
        for (var i = 0; i < 8; i++)
        {
            var c = text[i];
            value <<= 4;
            mask <<= 4;
            if (c is 'x' or 'X')
            {
                continue;
            }

            if (!uint.TryParse(c.ToString(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var nibble))
            {
                throw new FormatException($"'{text}' is not a tag pattern: '{c}' is not a hex digit or 'x'.");
            }

            value |= nibble;
            mask |= 0xF;
        }

        if ((mask & 0x000F0000) == 0 && mask != 0)
        {
            mask |= 0x00010000;
        }

        return new TagPattern(value, mask);
    }

    public override string ToString() => IsExact
        ? string.Create(CultureInfo.InvariantCulture, $"({Group:X4},{Element:X4})")
        : string.Create(CultureInfo.InvariantCulture, $"({Group:X4},{Element:X4})&{Mask:X8}");
}
