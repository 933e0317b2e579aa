using System.Globalization;

namespace Vna.Dicom;

/// <summary>Conversions between DICOM numeric text (IS, DS) and JSON number literals.</summary>
internal static class DicomJsonNumbers
{
    /// <summary>Number.MAX_SAFE_INTEGER: larger SV/UV magnitudes are written as JSON strings.</summary>
    public const long MaxSafeInteger = 9_007_199_254_740_991;

    /// <summary>
    /// Rewrites a DS/IS value (PS3.5 6.2: optional sign, digits with an optional point, optional exponent) as a JSON number
    /// literal (RFC 8259 6): a leading '+' and superfluous leading zeros dropped, ".5" → "0.5", "1." → "1", "1.e3" → "1e3".
    /// False when the text is not a decimal number at all ("1A", "NaN", "", "1,5").
    /// </summary>
    public static bool TryToJsonNumber(string text, out string json)
    {
        json = string.Empty;
        var s = text.AsSpan().Trim(' ');
        var i = 0;
        var negative = false;
        if (i < s.Length && (s[i] == '+' || s[i] == '-'))
        {
            negative = s[i] == '-';
            i++;
        }

        var intStart = i;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
        }

        var integer = s[intStart..i];
        var fraction = ReadOnlySpan<char>.Empty;
        if (i < s.Length && s[i] == '.')
        {
            i++;
            var fracStart = i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }

            fraction = s[fracStart..i];
        }

        if (integer.IsEmpty && fraction.IsEmpty)
        {
            return false;
        }

        var exponent = ReadOnlySpan<char>.Empty;
        if (i < s.Length && (s[i] == 'e' || s[i] == 'E'))
        {
            var expStart = i;
            i++;
            if (i < s.Length && (s[i] == '+' || s[i] == '-'))
            {
                i++;
            }

            var digitsStart = i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }

            if (i == digitsStart)
            {
                return false;
            }

            exponent = s[expStart..i];
        }

        if (i != s.Length)
        {
            return false;
        }

        integer = integer.TrimStart('0');
        var builder = new System.Text.StringBuilder(s.Length + 2);
        if (negative)
        {
            builder.Append('-');
        }

        if (integer.IsEmpty)
        {
            builder.Append('0');
        }
        else
        {
            builder.Append(integer);
        }

        if (!fraction.IsEmpty)
        {
            builder.Append('.').Append(fraction);
        }

        builder.Append(exponent);
        json = builder.ToString();
        return true;
    }

    /// <summary>
    /// A DS value no longer than the 16 characters PS3.5 allows: a JSON number such as 0.30000000000000004 (what a
    /// JavaScript double prints) is rounded to the most precise form that fits. Text that does not parse is returned as is.
    /// </summary>
    public static string FitDecimalString(string text)
    {
        if (text.Length <= 16
            || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            || !double.IsFinite(value))
        {
            return text;
        }

        for (var precision = 16; precision >= 1; precision--)
        {
            var candidate = value.ToString("G" + precision.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            if (candidate.Length <= 16)
            {
                return candidate;
            }
        }

        return text;
    }
}
