using System.Globalization;

namespace Vna.Policies;

/// <summary>A calendar duration of a policy: a count of days, weeks, months or years ("90d", "18m", "10y").</summary>
public readonly record struct PolicyDuration(int Count, char Unit)
{
    /// <summary>Parses "90d", "2w", "18m", "10y"; null when the text is not one.</summary>
    public static PolicyDuration? TryParse(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length < 2)
        {
            return null;
        }

        var unit = text[^1];
        if (unit is not ('d' or 'w' or 'm' or 'y')
            || !int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            return null;
        }

        return new PolicyDuration(count, unit);
    }

    /// <summary>The instant this duration after <paramref name="from"/> (calendar months and years).</summary>
    public DateTimeOffset AddTo(DateTimeOffset from) => Unit switch
    {
        'd' => from.AddDays(Count),
        'w' => from.AddDays(7 * Count),
        'm' => from.AddMonths(Count),
        _ => from.AddYears(Count),
    };

    public override string ToString() => Count.ToString(CultureInfo.InvariantCulture) + Unit;
}
