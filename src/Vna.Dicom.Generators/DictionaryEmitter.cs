using System.Globalization;

namespace Vna.Dicom.Generators;

/// <summary>
/// Writes DicomDictionary.g.cs: the public entries (exact and masked) and the well-known private entries, one entry a line
/// in two raw string tables that a small generated parser reads on first use. Tables instead of ~13,000 constructor calls
/// keep the first lookup fast: the JIT compiles a short loop instead of two methods of several hundred kilobytes of IL.
/// </summary>
internal static class DictionaryEmitter
{
    /// <summary>Members the generated part declares; the hand-written DicomDictionary must not declare them too.</summary>
    public static readonly string[] GeneratedMembers =
        ["PublicTable", "PrivateTable", "ParsePublicEntry", "ParseVRs", "ParseHex", "NextField"];

    /// <summary>The mask of a private entry (gggg,00ee): any block xx of (gggg,xxee).</summary>
    public const uint PrivateMask = 0xFFFF00FF;

    private const char Separator = '|';

    public static string Emit(IReadOnlyList<PublicTag> publicTags, IReadOnlyList<PrivateTag> privateTags, Provenance provenance)
    {
        var masked = publicTags.Count(t => !t.Tag.IsExact);
        var creators = privateTags.Select(t => t.Creator).Distinct(StringComparer.Ordinal).Count();
        var sb = new SourceBuilder(provenance.Header(
            "_dicom_dict.py (public) and _private_dict.py (private, from GDCM)",
            "",
            $"{publicTags.Count} public entries: {publicTags.Count - masked} exact tags, {masked} masked (repeating groups and ranges).",
            "A masked entry matches a tag when (tag & Mask) == (Tag & Mask). Repeating groups such as (60xx,3000) keep the",
            "lowest group bit in the mask, so they match the even groups only and odd (private) groups stay private (PS3.5 7.6).",
            "\"OB or OW\" is listed OW first: the VR read under implicit VR (PS3.5 A.1).",
            $"{privateTags.Count} private entries of {creators} private creators, keyed by (creator, group, element):",
            $"the entry's Tag is (gggg,00ee) and its Mask {CSharpSyntax.Hex(PrivateMask, 8)} (any block).",
            "",
            "PublicTable, a line an entry:  tag | mask (empty: exact) | VRs (slash-separated, empty: none) | VM | R if retired | keyword | name",
            "PrivateTable: '@' private creator, then a line an entry:  group | element | VRs | VM | R if retired | name"));

        sb.Line("public static partial class DicomDictionary");
        sb.Line("{");
        sb.Line("    /// <summary>One line of <see cref=\"PublicTable\"/> as an entry; <paramref name=\"vrLists\"/> shares VR lists when given.</summary>");
        sb.Line("    private static DicomDictionaryEntry ParsePublicEntry(ReadOnlySpan<char> line, Dictionary<string, IReadOnlyList<DicomVR>>? vrLists)");
        sb.Line("    {");
        sb.Line("        var rest = line;");
        sb.Line("        var tag = ParseHex(NextField(ref rest));");
        sb.Line("        var mask = NextField(ref rest);");
        sb.Line("        var vrs = ParseVRs(NextField(ref rest), vrLists);");
        sb.Line("        var vm = NextField(ref rest).ToString();");
        sb.Line("        var retired = !NextField(ref rest).IsEmpty;");
        sb.Line("        var keyword = NextField(ref rest).ToString();");
        sb.Line("        return new DicomDictionaryEntry(");
        sb.Line("            new DicomTag(tag), mask.IsEmpty ? 0xFFFFFFFF : ParseHex(mask), vrs, vm, rest.ToString(), keyword, retired);");
        sb.Line("    }");
        sb.Line();
        sb.Line("    private static partial (string Creator, DicomDictionaryEntry Entry)[] CreatePrivateEntries()");
        sb.Line("    {");
        sb.Line(string.Create(CultureInfo.InvariantCulture, $"        var entries = new (string Creator, DicomDictionaryEntry Entry)[{privateTags.Count}];"));
        sb.Line("        var count = 0;");
        sb.Line("        var creator = string.Empty;");
        sb.Line("        var vrLists = new Dictionary<string, IReadOnlyList<DicomVR>>(StringComparer.Ordinal);");
        sb.Line("        foreach (var line in PrivateTable.AsSpan().EnumerateLines())");
        sb.Line("        {");
        sb.Line("            if (line.IsEmpty)");
        sb.Line("            {");
        sb.Line("                continue;");
        sb.Line("            }");
        sb.Line();
        sb.Line("            if (line[0] == '@')");
        sb.Line("            {");
        sb.Line("                creator = line[1..].ToString();");
        sb.Line("                continue;");
        sb.Line("            }");
        sb.Line();
        sb.Line("            var rest = line;");
        sb.Line("            var group = (ushort)ParseHex(NextField(ref rest));");
        sb.Line("            var element = (ushort)ParseHex(NextField(ref rest));");
        sb.Line("            var vrs = ParseVRs(NextField(ref rest), vrLists);");
        sb.Line("            var vm = NextField(ref rest).ToString();");
        sb.Line("            var retired = !NextField(ref rest).IsEmpty;");
        sb.Line("            entries[count++] = (creator, new DicomDictionaryEntry(");
        sb.Line($"                new DicomTag(group, element), {CSharpSyntax.Hex(PrivateMask, 8)}, vrs, vm, rest.ToString(), string.Empty, retired));");
        sb.Line("        }");
        sb.Line();
        sb.Line("        return count == entries.Length ? entries : entries[..count];");
        sb.Line("    }");
        sb.Line();
        sb.Line("    /// <summary>The text before the next '|' (the rest of the line when there is none); advances past it.</summary>");
        sb.Line("    private static ReadOnlySpan<char> NextField(ref ReadOnlySpan<char> rest)");
        sb.Line("    {");
        sb.Line($"        var end = rest.IndexOf('{Separator}');");
        sb.Line("        if (end < 0)");
        sb.Line("        {");
        sb.Line("            var all = rest;");
        sb.Line("            rest = [];");
        sb.Line("            return all;");
        sb.Line("        }");
        sb.Line();
        sb.Line("        var field = rest[..end];");
        sb.Line("        rest = rest[(end + 1)..];");
        sb.Line("        return field;");
        sb.Line("    }");
        sb.Line();
        sb.Line("    private static uint ParseHex(ReadOnlySpan<char> hex) =>");
        sb.Line("        uint.Parse(hex, System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture);");
        sb.Line();
        sb.Line("    /// <summary>\"US/SS\" as a read-only VR list, one shared instance per distinct text when a cache is given.</summary>");
        sb.Line("    private static IReadOnlyList<DicomVR> ParseVRs(ReadOnlySpan<char> text, Dictionary<string, IReadOnlyList<DicomVR>>? cache)");
        sb.Line("    {");
        sb.Line("        var lookup = cache?.GetAlternateLookup<ReadOnlySpan<char>>();");
        sb.Line("        if (lookup is { } found && found.TryGetValue(text, out var list))");
        sb.Line("        {");
        sb.Line("            return list;");
        sb.Line("        }");
        sb.Line();
        sb.Line("        var vrs = new DicomVR[(text.Length + 1) / 3];");
        sb.Line("        for (var i = 0; i < vrs.Length; i++)");
        sb.Line("        {");
        sb.Line("            vrs[i] = (DicomVR)((text[i * 3] << 8) | text[(i * 3) + 1]);");
        sb.Line("        }");
        sb.Line();
        sb.Line("        list = Array.AsReadOnly(vrs);");
        sb.Line("        if (lookup is { } cached)");
        sb.Line("        {");
        sb.Line("            cached[text] = list;");
        sb.Line("        }");
        sb.Line();
        sb.Line("        return list;");
        sb.Line("    }");
        sb.Line();

        sb.Line("    private const string PublicTable = \"\"\"");
        foreach (var t in publicTags)
        {
            sb.Line(Row(
                t.Tag.Value.ToString("X8", CultureInfo.InvariantCulture),
                t.Tag.IsExact ? string.Empty : t.Tag.Mask.ToString("X8", CultureInfo.InvariantCulture),
                string.Join('/', t.ValueRepresentations),
                t.ValueMultiplicity,
                t.IsRetired ? "R" : string.Empty,
                t.Keyword,
                t.Name));
        }

        sb.Line("\"\"\";");
        sb.Line();
        sb.Line("    private const string PrivateTable = \"\"\"");
        string? current = null;
        foreach (var t in privateTags)
        {
            if (t.Creator != current)
            {
                Check(t.Creator, allowSeparator: true);
                sb.Line("@" + t.Creator);
                current = t.Creator;
            }

            sb.Line(Row(
                t.Group.ToString("X4", CultureInfo.InvariantCulture),
                t.Element.ToString("X2", CultureInfo.InvariantCulture),
                string.Join('/', t.ValueRepresentations),
                t.ValueMultiplicity,
                t.IsRetired ? "R" : string.Empty,
                t.Name));
        }

        sb.Line("\"\"\";");
        sb.Line("}");
        return sb.ToString();
    }

    /// <summary>One table line. Only the last field (the name) may contain the separator: the parser takes the rest of the line.</summary>
    private static string Row(params string[] fields)
    {
        for (var i = 0; i < fields.Length; i++)
        {
            Check(fields[i], allowSeparator: i == fields.Length - 1);
        }

        var row = string.Join(Separator, fields);
        return row.Length > 0 && (row[0] == '@' || char.IsWhiteSpace(row[0]) || char.IsWhiteSpace(row[^1]))
            ? throw new FormatException($"Table row cannot start with '@' or start or end with white space: '{row}'.")
            : row;
    }

    private static void Check(string field, bool allowSeparator)
    {
        if (field.Contains('\n', StringComparison.Ordinal) || field.Contains('\r', StringComparison.Ordinal)
            || field.Contains("\"\"\"", StringComparison.Ordinal) || (!allowSeparator && field.Contains(Separator, StringComparison.Ordinal)))
        {
            throw new FormatException($"Field '{field}' cannot be written to a table line.");
        }
    }
}
