using System.Globalization;
using System.Text;

namespace Vna.Index.Postgres.Query;

/// <summary>
/// The normalised forms the index stores beside the values it returns, computed the same way for stored values and for
/// query values: person names for case-insensitive and fuzzy matching, times as zero-padded keys for range matching,
/// integer strings without padding.
/// </summary>
internal static class IndexText
{
    /// <summary>The length of a time key: 'HHMMSS.FFFFFF'.</summary>
    public const int TimeKeyLength = 13;

    /// <summary>A value with padding (spaces, NULs) removed at both ends; empty for null.</summary>
    public static string Clean(string? value) => value is null ? string.Empty : value.Trim(' ', '\0');

    /// <summary>
    /// A person name for case-insensitive matching: lower-case, each component group with trailing spaces and
    /// component delimiters removed, trailing empty groups removed ("DOE^JOHN^^=" → "doe^john").
    /// </summary>
    public static string NormalizePersonName(string? value)
    {
        var clean = Clean(value);
        if (clean.Length == 0)
        {
            return string.Empty;
        }

        var groups = clean.ToLowerInvariant().Split('=');
        for (var i = 0; i < groups.Length; i++)
        {
            groups[i] = groups[i].TrimEnd(' ', '^');
        }

        var count = groups.Length;
        while (count > 0 && groups[count - 1].Length == 0)
        {
            count--;
        }

        return string.Join('=', groups, 0, count);
    }

    /// <summary>The words of a person name, lower-case: every component of every group, split further at spaces and commas.</summary>
    public static string[] PersonNameWords(string? value) =>
        Clean(value).ToLowerInvariant().Split(['^', '=', ' ', ','], StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The stored form of <see cref="PersonNameWords"/>: each word preceded by a space, so that " " + prefix finds a word starting with prefix.</summary>
    public static string PersonNameWordsColumn(string? value)
    {
        var words = PersonNameWords(value);
        if (words.Length == 0)
        {
            return string.Empty;
        }

        var builder = new StringBuilder();
        foreach (var word in words)
        {
            builder.Append(' ').Append(word);
        }

        return builder.ToString();
    }

    /// <summary>
    /// The key of a TM value, zero-padded to 'HHMMSS.FFFFFF' (so that keys compare as text in time order); null when the
    /// value is empty or not a time. Accepts partial values ("HH", "HHMM", "HHMMSS", "HHMMSS.F…") and the ACR-NEMA form
    /// "HH:MM:SS".
    /// </summary>
    public static string? TimeKey(string? value) => TimeKey(value, upper: false);

    /// <summary>
    /// The highest key a TM value stands for: its missing digits filled with the largest values ("10" → "105959.999999",
    /// "1030" → "103059.999999"), so that a range's upper bound includes every time within its precision.
    /// </summary>
    public static string? TimeUpperKey(string? value) => TimeKey(value, upper: true);

    /// <summary>True for a DA value 'YYYYMMDD' that is a calendar date.</summary>
    public static bool IsDate(string value) =>
        value.Length == 8 && IsDigits(value)
        && DateOnly.TryParseExact(value, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    /// <summary>A query date in the DICOM form 'YYYYMMDD' (the ACR-NEMA form 'YYYY.MM.DD' accepted); null when it is not a date.</summary>
    public static string? NormalizeDate(string value)
    {
        var clean = Clean(value);
        if (clean.Length == 10 && clean[4] == '.' && clean[7] == '.')
        {
            clean = string.Concat(clean.AsSpan(0, 4), clean.AsSpan(5, 2), clean.AsSpan(8, 2));
        }

        return IsDate(clean) ? clean : null;
    }

    /// <summary>An IS value without padding, sign '+' or leading zeros ("007" → "7"); other text unchanged.</summary>
    public static string NormalizeIntegerString(string? value)
    {
        var clean = Clean(value);
        return long.TryParse(clean, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? number.ToString(CultureInfo.InvariantCulture)
            : clean;
    }

    private static string? TimeKey(string? value, bool upper)
    {
        var clean = Clean(value).Replace(":", string.Empty, StringComparison.Ordinal);
        if (clean.Length == 0)
        {
            return null;
        }

        var dot = clean.IndexOf('.', StringComparison.Ordinal);
        var whole = dot < 0 ? clean : clean[..dot];
        var fraction = dot < 0 ? string.Empty : clean[(dot + 1)..];
        if (whole.Length is not (2 or 4 or 6) || !IsDigits(whole) || fraction.Length > 6 || !IsDigits(fraction)
            || (fraction.Length > 0 && whole.Length != 6))
        {
            return null;
        }

        var hours = int.Parse(whole.AsSpan(0, 2), CultureInfo.InvariantCulture);
        var minutes = whole.Length >= 4 ? int.Parse(whole.AsSpan(2, 2), CultureInfo.InvariantCulture) : 0;
        var seconds = whole.Length >= 6 ? int.Parse(whole.AsSpan(4, 2), CultureInfo.InvariantCulture) : 0;
        if (hours > 23 || minutes > 59 || seconds > 60)
        {
            return null;
        }

        var builder = new StringBuilder(TimeKeyLength);
        builder.Append(whole);
        if (upper)
        {
            // Missing minutes and seconds are their largest values: "10" stands for 10:00:00 to 10:59:59.999999.
            for (var length = whole.Length; length < 6; length += 2)
            {
                builder.Append("59");
            }
        }
        else
        {
            builder.Append('0', 6 - whole.Length);
        }

        builder.Append('.');
        builder.Append(fraction);
        builder.Append(upper ? '9' : '0', 6 - fraction.Length);
        return builder.ToString();
    }

    private static bool IsDigits(string value)
    {
        foreach (var c in value)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }
}
