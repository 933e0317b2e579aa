using System.Globalization;
using System.Text;

namespace Vna.Index.Postgres.Query;

/// <summary>
/// PS3.4 C.2.2.2 attribute matching as SQL conditions over the index's columns. Every value goes into a parameter;
/// only column names (fixed by the index's catalogue) are written into the SQL text.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Universal matching: no value, empty values, or a value of only '*' — no condition (null is returned).</item>
/// <item>Empty value matching: the value <c>""</c> (two quotation marks) matches attributes that are empty.</item>
/// <item>Single value matching: equality, case-sensitive except for person names.</item>
/// <item>Wild card matching: '*' any sequence (also empty), '?' any one character, for text VRs; LIKE with '%', '_'
/// and '\' in the value escaped.</item>
/// <item>List of UID matching: values separated by '\'. Other multi-valued keys match when any value matches.</item>
/// <item>Range matching: "A-B", "-B", "A-" for DA and TM (inclusive; a time's upper bound includes everything within its
/// precision: "-10" includes 10:59:59.999999); combined date-time matching of a DA and a TM key of the same range form.</item>
/// </list>
/// </remarks>
internal static class DicomMatch
{
    /// <summary>The lowest time key, for a date with no (or an unparsable) time in combined date-time matching.</summary>
    public const string MidnightKey = "000000.000000";

    private const string EmptyValue = "\"\"";

    /// <summary>The significant values of a key: trimmed, empty ones dropped.</summary>
    public static string[] Values(IEnumerable<string> raw) =>
        raw.Select(IndexText.Clean).Where(v => v.Length > 0).ToArray();

    /// <summary>True when the values ask for universal matching: none, or one that is only '*'.</summary>
    public static bool IsUniversal(IReadOnlyList<string> values) =>
        values.Count == 0 || values.Any(v => v.All(c => c == '*'));

    public static bool HasWildcard(string value) => value.AsSpan().IndexOfAny('*', '?') >= 0;

    /// <summary>A DICOM wild card value as a LIKE pattern: '%', '_' and '\' escaped, '*' → '%', '?' → '_'.</summary>
    public static string ToLikePattern(string value)
    {
        var builder = new StringBuilder(value.Length + 4);
        foreach (var c in value)
        {
            switch (c)
            {
                case '*':
                    builder.Append('%');
                    break;
                case '?':
                    builder.Append('_');
                    break;
                case '%' or '_' or '\\':
                    builder.Append('\\').Append(c);
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }

        return builder.ToString();
    }

    /// <summary>A literal value escaped for use inside a LIKE pattern.</summary>
    public static string EscapeLike(string value)
    {
        var builder = new StringBuilder(value.Length + 4);
        foreach (var c in value)
        {
            if (c is '%' or '_' or '\\')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>Case-sensitive text (AE, CS, LO, SH, …): single values, wild cards, any of several values.</summary>
    public static string? Text(string column, IReadOnlyList<string> values, SqlParameters parameters)
    {
        if (IsUniversal(values))
        {
            return null;
        }

        var conditions = new List<string>();
        var singles = new List<string>();
        foreach (var value in values)
        {
            if (value == EmptyValue)
            {
                conditions.Add($"{column} = ''");
            }
            else if (HasWildcard(value))
            {
                conditions.Add($"{column} LIKE {parameters.Text(ToLikePattern(value))}");
            }
            else
            {
                singles.Add(value);
            }
        }

        AddEquality(column, singles, parameters, conditions);
        return Or(conditions);
    }

    /// <summary>Integer strings (IS): compared without padding, sign or leading zeros.</summary>
    public static string? IntegerString(string column, IReadOnlyList<string> values, SqlParameters parameters) =>
        Text(column, values.Select(v => HasWildcard(v) || v == EmptyValue ? v : IndexText.NormalizeIntegerString(v)).ToArray(), parameters);

    /// <summary>List of UID matching (no wild cards for UI: '*' and '?' are not UID characters and never match).</summary>
    public static string? Uid(string column, IReadOnlyList<string> values, SqlParameters parameters)
    {
        if (IsUniversal(values))
        {
            return null;
        }

        var conditions = new List<string>();
        var singles = new List<string>();
        foreach (var value in values)
        {
            if (value == EmptyValue)
            {
                conditions.Add($"{column} = ''");
            }
            else
            {
                singles.Add(value);
            }
        }

        AddEquality(column, singles, parameters, conditions);
        return Or(conditions);
    }

    /// <summary>
    /// Person names, case-insensitive, against the normalised column. A value without '=' is matched against the whole
    /// name and against its first component group; with <paramref name="fuzzy"/> a name also matches when each word of
    /// the value is the start of a word of the name (any component, any group).
    /// </summary>
    public static string? PersonName(string normColumn, string wordsColumn, IReadOnlyList<string> values, bool fuzzy, SqlParameters parameters)
    {
        if (IsUniversal(values))
        {
            return null;
        }

        var conditions = new List<string>();
        foreach (var value in values)
        {
            if (value == EmptyValue)
            {
                conditions.Add($"{normColumn} = ''");
                continue;
            }

            var normalized = IndexText.NormalizePersonName(value);
            var wholeOnly = normalized.Contains('=', StringComparison.Ordinal);
            if (HasWildcard(normalized))
            {
                var pattern = ToLikePattern(normalized);
                conditions.Add($"{normColumn} LIKE {parameters.Text(pattern)}");
                if (!wholeOnly && !pattern.EndsWith('%'))
                {
                    conditions.Add($"{normColumn} LIKE {parameters.Text(pattern + "=%")}");
                }
            }
            else
            {
                conditions.Add($"{normColumn} = {parameters.Text(normalized)}");
                if (!wholeOnly)
                {
                    conditions.Add($"{normColumn} LIKE {parameters.Text(EscapeLike(normalized) + "=%")}");
                }
            }

            if (fuzzy)
            {
                var words = IndexText.PersonNameWords(value).Where(w => !w.All(c => c == '*')).ToArray();
                if (words.Length > 0)
                {
                    var all = words.Select(w => $"{wordsColumn} LIKE {parameters.Text("% " + ToLikePattern(w) + "%")}");
                    conditions.Add("(" + string.Join(" AND ", all) + ")");
                }
            }
        }

        return Or(conditions);
    }

    /// <summary>DA: single dates and ranges, compared as 'YYYYMMDD' text.</summary>
    public static string? Date(string column, IReadOnlyList<string> values, SqlParameters parameters, string keyword)
    {
        if (IsUniversal(values))
        {
            return null;
        }

        var conditions = new List<string>();
        var singles = new List<string>();
        foreach (var value in values)
        {
            if (value == EmptyValue)
            {
                conditions.Add($"{column} = ''");
                continue;
            }

            var range = ParseRange(value, keyword);
            if (!range.IsRange)
            {
                singles.Add(RequireDate(range.Low!, keyword));
                continue;
            }

            var parts = new List<string>();
            if (range.Low is not null)
            {
                parts.Add($"{column} >= {parameters.Text(RequireDate(range.Low, keyword))}");
            }

            if (range.High is not null)
            {
                parts.Add($"{column} <= {parameters.Text(RequireDate(range.High, keyword))}");
                if (range.Low is null)
                {
                    parts.Add($"{column} <> ''");
                }
            }

            if (parts.Count == 0)
            {
                return null; // "-": every date, i.e. universal matching
            }

            conditions.Add("(" + string.Join(" AND ", parts) + ")");
        }

        AddEquality(column, singles, parameters, conditions);
        return Or(conditions);
    }

    /// <summary>TM: single times (everything within the value's precision) and ranges, against the time key column.</summary>
    public static string? Time(string keyColumn, string rawColumn, IReadOnlyList<string> values, SqlParameters parameters, string keyword)
    {
        if (IsUniversal(values))
        {
            return null;
        }

        var conditions = new List<string>();
        foreach (var value in values)
        {
            if (value == EmptyValue)
            {
                conditions.Add($"{rawColumn} = ''");
                continue;
            }

            var range = ParseRange(value, keyword);
            var low = range.Low;
            var high = range.IsRange ? range.High : range.Low;
            var parts = new List<string>();
            if (low is not null)
            {
                parts.Add($"{keyColumn} >= {parameters.Text(RequireTime(low, keyword, upper: false))}");
            }

            if (high is not null)
            {
                parts.Add($"{keyColumn} <= {parameters.Text(RequireTime(high, keyword, upper: true))}");
            }

            if (parts.Count == 0)
            {
                return null;
            }

            conditions.Add("(" + string.Join(" AND ", parts) + ")");
        }

        return Or(conditions);
    }

    /// <summary>
    /// Combined date-time range matching (PS3.4 C.2.2.2.5.1 with extended negotiation): a DA and a TM key with the same
    /// range form match as one datetime range over date + time. Null when the two keys do not qualify (then each is
    /// matched on its own).
    /// </summary>
    public static string? CombinedDateTime(
        string dateColumn, string timeKeyColumn, string dateValue, string timeValue, SqlParameters parameters, string keyword)
    {
        if (dateValue.Contains('\\', StringComparison.Ordinal) || timeValue.Contains('\\', StringComparison.Ordinal))
        {
            return null;
        }

        var date = ParseRange(dateValue, keyword);
        var time = ParseRange(timeValue, keyword);
        if (!date.IsRange || !time.IsRange || (date.Low is null) != (time.Low is null) || (date.High is null) != (time.High is null)
            || (date.Low is null && date.High is null))
        {
            return null;
        }

        var key = $"({dateColumn} || coalesce({timeKeyColumn}, '{MidnightKey}'))";
        var parts = new List<string> { $"length({dateColumn}) = 8" };
        if (date.Low is not null)
        {
            var low = RequireDate(date.Low, keyword) + RequireTime(time.Low!, keyword, upper: false);
            parts.Add($"{key} >= {parameters.Text(low)}");
        }

        if (date.High is not null)
        {
            var high = RequireDate(date.High, keyword) + RequireTime(time.High!, keyword, upper: true);
            parts.Add($"{key} <= {parameters.Text(high)}");
        }

        return "(" + string.Join(" AND ", parts) + ")";
    }

    /// <summary>A multi-valued attribute held as text[] (Modalities in Study): matches when any of its values matches any key value.</summary>
    public static string? TextArray(string column, IReadOnlyList<string> values, SqlParameters parameters)
    {
        if (IsUniversal(values))
        {
            return null;
        }

        var conditions = new List<string>();
        var singles = new List<string>();
        foreach (var value in values)
        {
            if (value == EmptyValue)
            {
                conditions.Add($"cardinality({column}) = 0");
            }
            else if (HasWildcard(value))
            {
                conditions.Add($"EXISTS (SELECT 1 FROM unnest({column}) AS m(v) WHERE m.v LIKE {parameters.Text(ToLikePattern(value))})");
            }
            else
            {
                singles.Add(value);
            }
        }

        if (singles.Count > 0)
        {
            conditions.Add($"{column} && {parameters.TextArray(singles)}::text[]");
        }

        return Or(conditions);
    }

    /// <summary>Instance Availability (0008,0056) values: matches when the derived availability is any of them.</summary>
    public static string? Availability(string expression, IReadOnlyList<string> values, SqlParameters parameters)
    {
        if (IsUniversal(values))
        {
            return null;
        }

        var codes = new List<short>();
        foreach (var value in values)
        {
            if (AvailabilityCodes.TryParse(value, out var code))
            {
                codes.Add(code);
            }
        }

        return codes.Count == 0 ? "FALSE" : $"{expression} = ANY({parameters.SmallintArray(codes)}::smallint[])";
    }

    private static void AddEquality(string column, List<string> singles, SqlParameters parameters, List<string> conditions)
    {
        if (singles.Count == 1)
        {
            conditions.Add($"{column} = {parameters.Text(singles[0])}");
        }
        else if (singles.Count > 1)
        {
            conditions.Add($"{column} = ANY({parameters.TextArray(singles)}::text[])");
        }
    }

    private static string? Or(List<string> conditions) => conditions.Count switch
    {
        0 => null,
        1 => conditions[0],
        _ => "(" + string.Join(" OR ", conditions) + ")",
    };

    private static (bool IsRange, string? Low, string? High) ParseRange(string value, string keyword)
    {
        var dash = value.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            return (false, value, null);
        }

        if (value.IndexOf('-', dash + 1) >= 0)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{keyword}: '{value}' is not a range (more than one '-')."));
        }

        var low = IndexText.Clean(value[..dash]);
        var high = IndexText.Clean(value[(dash + 1)..]);
        return (true, low.Length == 0 ? null : low, high.Length == 0 ? null : high);
    }

    private static string RequireDate(string value, string keyword) =>
        IndexText.NormalizeDate(value)
        ?? throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{keyword}: '{value}' is not a date (YYYYMMDD)."));

    private static string RequireTime(string value, string keyword, bool upper) =>
        (upper ? IndexText.TimeUpperKey(value) : IndexText.TimeKey(value))
        ?? throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{keyword}: '{value}' is not a time (HHMMSS.FFFFFF)."));
}
