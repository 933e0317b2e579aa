using System.Globalization;

namespace Vna.Dicom;

/// <summary>Parsing of DA, TM and DT values (PS3.5 6.2), including the legacy forms that readers meet (YYYY.MM.DD, HH:MM:SS).</summary>
public static class DicomDateTimeParser
{
    public static DateOnly ParseDate(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var s = value.Trim();
        if (s.Length == 10 && s[4] == '.' && s[7] == '.')
        {
            s = string.Concat(s.AsSpan(0, 4), s.AsSpan(5, 2), s.AsSpan(8, 2)); // ACR-NEMA form
        }

        if (s.Length == 8 && DateOnly.TryParseExact(s, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        throw new DicomDataException($"'{value}' is not a DA value (YYYYMMDD).");
    }

    public static TimeOnly ParseTime(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var s = value.Trim().Replace(":", string.Empty, StringComparison.Ordinal);
        if (!TryParseTime(s, out var time))
        {
            throw new DicomDataException($"'{value}' is not a TM value (HH[MM[SS[.F{{1,6}}]]]).");
        }

        return time;
    }

    public static DateTimeOffset ParseDateTime(string value, TimeSpan defaultOffset)
    {
        ArgumentNullException.ThrowIfNull(value);
        var s = value.Trim();
        var offset = defaultOffset;
        var sign = s.IndexOfAny(['+', '-'], 4);
        if (sign > 0)
        {
            offset = ParseOffset(s[sign..]);
            s = s[..sign];
        }

        if (s.Length < 4 || !int.TryParse(s.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year))
        {
            throw new DicomDataException($"'{value}' is not a DT value.");
        }

        var month = s.Length >= 6 ? Part(s, 4, value) : 1;
        var day = s.Length >= 8 ? Part(s, 6, value) : 1;
        var time = TimeOnly.MinValue;
        if (s.Length > 8 && !TryParseTime(s[8..], out time))
        {
            throw new DicomDataException($"'{value}' is not a DT value.");
        }

        try
        {
            return new DateTimeOffset(new DateOnly(year, month, day), time, offset);
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new DicomDataException($"'{value}' is not a DT value.", ex);
        }
    }

    /// <summary>"+HHMM" / "-HHMM" as a UTC offset.</summary>
    public static TimeSpan ParseOffset(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var s = value.Trim();
        if (s.Length == 5 && (s[0] == '+' || s[0] == '-')
            && int.TryParse(s.AsSpan(1, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var h)
            && int.TryParse(s.AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var m)
            && h <= 14 && m < 60)
        {
            var span = new TimeSpan(h, m, 0);
            return s[0] == '-' ? -span : span;
        }

        throw new DicomDataException($"'{value}' is not a UTC offset (&ZZXX).");
    }

    private static int Part(string s, int start, string original) =>
        int.TryParse(s.AsSpan(start, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new DicomDataException($"'{original}' is not a DT value.");

    private static bool TryParseTime(string s, out TimeOnly time)
    {
        time = default;
        var fraction = 0;
        var dot = s.IndexOf('.', StringComparison.Ordinal);
        var main = dot >= 0 ? s[..dot] : s;
        if (dot >= 0)
        {
            var f = s[(dot + 1)..];
            if (f.Length is 0 or > 6 || !int.TryParse(f, NumberStyles.None, CultureInfo.InvariantCulture, out fraction))
            {
                return false;
            }

            fraction *= (int)Math.Pow(10, 6 - f.Length);
        }

        if (main.Length is not (2 or 4 or 6) || !main.All(char.IsAsciiDigit))
        {
            return false;
        }

        var hh = int.Parse(main.AsSpan(0, 2), CultureInfo.InvariantCulture);
        var mm = main.Length >= 4 ? int.Parse(main.AsSpan(2, 2), CultureInfo.InvariantCulture) : 0;
        var ss = main.Length >= 6 ? int.Parse(main.AsSpan(4, 2), CultureInfo.InvariantCulture) : 0;
        if (ss == 60)
        {
            ss = 59; // a leap second: TimeOnly cannot hold it
        }

        if (hh > 23 || mm > 59 || ss > 59)
        {
            return false;
        }

        time = new TimeOnly(hh, mm, ss).Add(TimeSpan.FromTicks(fraction * 10L));
        return true;
    }
}
