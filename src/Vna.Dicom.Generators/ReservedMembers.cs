using System.Text.RegularExpressions;

namespace Vna.Dicom.Generators;

/// <summary>
/// The member names a generated partial type must not reuse: those declared by its hand-written parts in src/Vna.Dicom
/// (for example DicomTag.Item), the primary-constructor properties of a record, and the members every struct or record has.
/// </summary>
internal static partial class ReservedMembers
{
    private static readonly string[] s_always =
    [
        "Equals", "GetHashCode", "ToString", "GetType", "MemberwiseClone", "ReferenceEquals", "Finalize",
        "EqualityContract", "PrintMembers", "Deconstruct",
    ];

    /// <summary>Scans the hand-written files of <paramref name="sourceDirectory"/> that declare <c>partial {kind} {typeName}</c>.</summary>
    public static HashSet<string> Scan(string sourceDirectory, string kind, string typeName)
    {
        var names = new HashSet<string>(s_always, StringComparer.Ordinal) { typeName };
        var declaration = new Regex($@"\bpartial\s+{Regex.Escape(kind)}\s+{Regex.Escape(typeName)}\b");
        var generated = Path.Combine(sourceDirectory, "Generated") + Path.DirectorySeparatorChar;
        var found = false;
        foreach (var file in Directory.EnumerateFiles(sourceDirectory, "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (file.StartsWith(generated, StringComparison.Ordinal)
                || file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                || file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            {
                continue;
            }

            var text = File.ReadAllText(file);
            if (!declaration.IsMatch(text))
            {
                continue;
            }

            found = true;
            foreach (Match m in MemberRegex().Matches(text))
            {
                names.Add(m.Groups["name"].Value);
            }

            var primary = new Regex($@"\brecord\s+{Regex.Escape(typeName)}\s*\((?<params>[^)]*)\)").Match(text);
            if (primary.Success)
            {
                foreach (var parameter in primary.Groups["params"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries))
                {
                    var parts = parameter.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (parts.Length > 0)
                    {
                        names.Add(parts[^1]);
                    }
                }
            }
        }

        if (!found)
        {
            throw new InvalidOperationException($"No file in {sourceDirectory} declares 'partial {kind} {typeName}'.");
        }

        return names;
    }

    [GeneratedRegex(
        """^[ \t]*(?:\[[^\]\r\n]*\][ \t]*)*(?:(?:public|private|internal|protected|static|readonly|override|virtual|sealed|new|partial|unsafe|extern|required|const|abstract)\s+)+[\w<>\[\]?,.() \t]+?\s+(?<name>[A-Za-z_]\w*)\s*(?:\(|\{|=>|=|;)""",
        RegexOptions.Multiline)]
    private static partial Regex MemberRegex();
}
