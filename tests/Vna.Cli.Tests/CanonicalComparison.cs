using System.Globalization;
using System.Text.Json;
using Vna.Dicom;

namespace Vna.Cli.Tests;

/// <summary>
/// Compares two canonical dumps (ours and pydicom's, see tests/tools/pydicom_dump.py) element by element, recursing into
/// sequence items, and lists every difference with its place ("(0040,A730)[2]/(0040,A170)") and both sides.
/// Numbers are equal when they denote the same number (Python writes 1.0 where .NET writes 1).
/// </summary>
internal static class CanonicalComparison
{
    public static List<Difference> Compare(JsonElement ours, JsonElement theirs)
    {
        var differences = new List<Difference>();
        var oursSyntax = ours.GetProperty("transferSyntax").GetString();
        var theirSyntax = theirs.GetProperty("transferSyntax").GetString();
        if (!string.Equals(oursSyntax, theirSyntax, StringComparison.Ordinal))
        {
            differences.Add(new Difference("transfer syntax", null, $"\"{oursSyntax}\"", $"\"{theirSyntax}\"", null));
        }

        CompareDatasets(ours.GetProperty("meta"), theirs.GetProperty("meta"), "meta:", differences);
        CompareDatasets(ours.GetProperty("dataset"), theirs.GetProperty("dataset"), string.Empty, differences);
        return differences;
    }

    /// <summary>Structural equality of JSON values, numbers compared by value.</summary>
    public static bool JsonEquals(JsonElement a, JsonElement b)
    {
        if (a.ValueKind != b.ValueKind)
        {
            return false;
        }

        switch (a.ValueKind)
        {
            case JsonValueKind.Number:
                if (a.TryGetInt64(out var la) && b.TryGetInt64(out var lb))
                {
                    return la == lb;
                }

                if (a.TryGetUInt64(out var ua) && b.TryGetUInt64(out var ub))
                {
                    return ua == ub;
                }

                return a.GetDouble().Equals(b.GetDouble());
            case JsonValueKind.String:
                return string.Equals(a.GetString(), b.GetString(), StringComparison.Ordinal);
            case JsonValueKind.Array:
                if (a.GetArrayLength() != b.GetArrayLength())
                {
                    return false;
                }

                using (var ea = a.EnumerateArray())
                using (var eb = b.EnumerateArray())
                {
                    while (ea.MoveNext() && eb.MoveNext())
                    {
                        if (!JsonEquals(ea.Current, eb.Current))
                        {
                            return false;
                        }
                    }
                }

                return true;
            case JsonValueKind.Object:
                var pa = a.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
                var pb = b.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
                return pa.Count == pb.Count && pa.All(p => pb.TryGetValue(p.Key, out var v) && JsonEquals(p.Value, v));
            default:
                return true; // true, false, null
        }
    }

    /// <summary>"(0010,0010) PatientName" for "00100010".</summary>
    public static string DescribeTag(string key)
    {
        var tag = new DicomTag(uint.Parse(key, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        var keyword = DicomDictionary.Lookup(tag)?.Keyword;
        return string.IsNullOrEmpty(keyword) || tag.IsPrivate ? tag.ToString() : $"{tag} {keyword}";
    }

    private static void CompareDatasets(JsonElement ours, JsonElement theirs, string place, List<Difference> differences)
    {
        var mine = ByTag(ours);
        var other = ByTag(theirs);
        foreach (var key in mine.Keys.Union(other.Keys).Order(StringComparer.Ordinal))
        {
            var where = place + DescribeTag(key);
            var tag = uint.Parse(key, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var hasMine = mine.TryGetValue(key, out var a);
            var hasOther = other.TryGetValue(key, out var b);
            if (!hasMine || !hasOther)
            {
                differences.Add(new Difference(where, tag, hasMine ? Show(a) : "(absent)", hasOther ? Show(b) : "(absent)", hasMine ? a : null));
                continue;
            }

            var vrA = a.GetProperty("vr").GetString();
            var vrB = b.GetProperty("vr").GetString();
            var valueA = a.GetProperty("value");
            var valueB = b.GetProperty("value");
            if (vrA == "SQ" && vrB == "SQ" && valueA.ValueKind == JsonValueKind.Array && valueB.ValueKind == JsonValueKind.Array
                && valueA.GetArrayLength() == valueB.GetArrayLength())
            {
                var i = 0;
                foreach (var (itemA, itemB) in valueA.EnumerateArray().Zip(valueB.EnumerateArray()))
                {
                    CompareDatasets(itemA, itemB, $"{where}[{i++}]/", differences);
                }

                continue;
            }

            if (!string.Equals(vrA, vrB, StringComparison.Ordinal) || !JsonEquals(valueA, valueB))
            {
                differences.Add(new Difference(where, tag, Show(a), Show(b), a));
            }
        }
    }

    private static Dictionary<string, JsonElement> ByTag(JsonElement dataset)
    {
        var result = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var element in dataset.EnumerateArray())
        {
            result[element.GetProperty("tag").GetString()!] = element;
        }

        return result;
    }

    private static string Show(JsonElement element)
    {
        var text = $"{element.GetProperty("vr").GetString()} {element.GetProperty("value").GetRawText()}";
        return text.Length > 300 ? string.Concat(text.AsSpan(0, 300), "...") : text;
    }

    /// <summary>One difference: where, the tag (null for the transfer syntax), both sides as text, and our element.</summary>
    internal sealed record Difference(string Place, uint? Tag, string Ours, string Theirs, JsonElement? OurElement)
    {
        public override string ToString() => $"{Place}: ours {Ours} vs pydicom {Theirs}";
    }
}
