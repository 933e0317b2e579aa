using Vna.Index.Postgres.Query;

namespace Vna.Index.Postgres.Upsert;

/// <summary>How a batch merges attribute values, and how the upsert merges them into stored rows: a non-empty value wins.</summary>
internal static class RowMerge
{
    /// <summary>The cleaned <paramref name="value"/> when it is not empty, else <paramref name="current"/>.</summary>
    public static string Pick(string? value, string current)
    {
        var clean = IndexText.Clean(value);
        return clean.Length > 0 ? clean : current;
    }
}
