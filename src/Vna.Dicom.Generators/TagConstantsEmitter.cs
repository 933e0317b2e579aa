namespace Vna.Dicom.Generators;

/// <summary>Writes DicomTag.g.cs: one static field per exact, keyworded public tag.</summary>
internal static class TagConstantsEmitter
{
    /// <summary>
    /// The fields to write: exact tags with a keyword that is a C# identifier and is not already a member of DicomTag
    /// (<paramref name="reserved"/>); <paramref name="skipped"/> gets the others that have a keyword.
    /// </summary>
    public static List<PublicTag> Select(IReadOnlyList<PublicTag> publicTags, HashSet<string> reserved, out List<string> skipped)
    {
        var selected = new List<PublicTag>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        skipped = [];
        foreach (var t in publicTags)
        {
            if (!t.Tag.IsExact || t.Keyword.Length == 0)
            {
                continue;
            }

            if (reserved.Contains(t.Keyword) || !CSharpSyntax.IsIdentifier(t.Keyword) || !used.Add(t.Keyword))
            {
                skipped.Add($"{t.Tag} {t.Keyword}");
                continue;
            }

            selected.Add(t);
        }

        return selected;
    }

    public static string Emit(IReadOnlyList<PublicTag> fields, IReadOnlyList<string> skipped, Provenance provenance)
    {
        var sb = new SourceBuilder(provenance.Header(
            "_dicom_dict.py",
            "",
            $"{fields.Count} tags: every exact public tag with a keyword, retired ones marked // retired.",
            skipped.Count == 0 ? "No keyword was left out." : $"Keywords left out (already DicomTag members, or not identifiers): {string.Join(", ", skipped)}."));
        sb.Line("public readonly partial struct DicomTag");
        sb.Line("{");
        foreach (var t in fields)
        {
            var line = $"    public static readonly DicomTag {t.Keyword} = new({CSharpSyntax.Hex(t.Tag.Group, 4)}, {CSharpSyntax.Hex(t.Tag.Element, 4)});";
            sb.Line(t.IsRetired ? line + " // retired" : line);
        }

        sb.Line("}");
        return sb.ToString();
    }
}
