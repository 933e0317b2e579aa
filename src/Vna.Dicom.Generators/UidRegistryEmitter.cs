namespace Vna.Dicom.Generators;

/// <summary>Writes DicomUid.g.cs: one static property per keyworded UID and the registry of all of them.</summary>
internal static class UidRegistryEmitter
{
    public static string Emit(IReadOnlyList<RegisteredUid> uids, HashSet<string> reserved, Provenance provenance, out List<string> skipped)
    {
        skipped = [];
        var used = new HashSet<string>(StringComparer.Ordinal);
        var named = new List<RegisteredUid>();
        foreach (var u in uids)
        {
            if (u.Keyword.Length == 0)
            {
                continue;
            }

            if (reserved.Contains(u.Keyword) || !CSharpSyntax.IsIdentifier(u.Keyword) || !used.Add(u.Keyword))
            {
                skipped.Add($"{u.Value} {u.Keyword}");
                continue;
            }

            named.Add(u);
        }

        var byType = uids.GroupBy(u => u.Type, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} {g.Count()}");
        var sb = new SourceBuilder(provenance.Header(
            "_uid_dict.py",
            "",
            $"{uids.Count} UIDs ({string.Join(", ", byType)}); {named.Count} have a keyword property.",
            skipped.Count == 0 ? "No keyword was left out." : $"Keywords left out (taken or not identifiers): {string.Join(", ", skipped)}."));
        sb.Line("public sealed partial record DicomUid");
        sb.Line("{");
        var namedSet = new HashSet<RegisteredUid>(named);
        foreach (var u in named)
        {
            sb.Line($"    public static DicomUid {u.Keyword} {{ get; }} = {Construct(u)};");
        }

        sb.Line();
        sb.Line("    private static partial DicomUid[] CreateRegistry() =>");
        sb.Line("    [");
        foreach (var u in uids)
        {
            sb.Line(namedSet.Contains(u) ? $"        {u.Keyword}," : $"        {Construct(u)},");
        }

        sb.Line("    ];");
        sb.Line("}");
        return sb.ToString();
    }

    private static string Construct(RegisteredUid u) =>
        $"new({CSharpSyntax.Literal(u.Value)}, {CSharpSyntax.Literal(u.Name)}, {CSharpSyntax.Literal(u.Keyword)}, DicomUidType.{u.Type}, {CSharpSyntax.Bool(u.IsRetired)})";
}
