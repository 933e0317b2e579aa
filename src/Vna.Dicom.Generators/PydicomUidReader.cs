using System.Text.RegularExpressions;

namespace Vna.Dicom.Generators;

/// <summary>Reads pydicom's <c>_uid_dict.py</c>: UID: (Name, Type, Info, Retired, Keyword).</summary>
internal static partial class PydicomUidReader
{
    private const string Str = PythonLiteral.StringPattern;

    public static List<RegisteredUid> Read(string path)
    {
        var result = new List<RegisteredUid>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (!CandidateRegex().IsMatch(line))
            {
                continue;
            }

            var m = EntryRegex().Match(line);
            if (!m.Success)
            {
                throw new FormatException($"{path}:{lineNumber}: cannot parse UID entry: {line.Trim()}");
            }

            result.Add(new RegisteredUid(
                m.Groups["uid"].Value,
                PythonLiteral.Unquote(m.Groups["name"].Value),
                PythonLiteral.Unquote(m.Groups["keyword"].Value),
                UidTypes.Map(PythonLiteral.Unquote(m.Groups["type"].Value)),
                PythonLiteral.ParseRetired(PythonLiteral.Unquote(m.Groups["retired"].Value))));
        }

        if (result.Count == 0)
        {
            throw new FormatException($"{path}: no UID entries found.");
        }

        return result;
    }

    [GeneratedRegex("""^\s+'[0-9.]+'\s*:""")]
    private static partial Regex CandidateRegex();

    [GeneratedRegex(
        """^\s+'(?<uid>[0-9]+(?:\.[0-9]+)*)'\s*:\s*\(\s*(?<name>""" + Str + """)\s*,\s*(?<type>""" + Str
        + """)\s*,\s*(?<info>""" + Str + """)\s*,\s*(?<retired>""" + Str + """)\s*,\s*(?<keyword>""" + Str
        + """)\s*\)\s*,?\s*(?:#.*)?$""")]
    private static partial Regex EntryRegex();
}
