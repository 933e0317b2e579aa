using System.Globalization;
using System.Text.RegularExpressions;

namespace Vna.Dicom.Generators;

/// <summary>
/// Reads pydicom's <c>_dicom_dict.py</c> (DicomDictionary and RepeatersDictionary) and <c>_private_dict.py</c> line by line.
/// Every line that looks like an entry must parse, so a change of format fails loudly instead of dropping entries.
/// </summary>
internal static partial class PydicomDictionaryReader
{
    private const string Str = PythonLiteral.StringPattern;

    /// <summary>Exact tags (0xGGGGEEEE keys) and repeating-group patterns ('60xx3000' keys) alike.</summary>
    public static List<PublicTag> ReadPublic(string path)
    {
        var result = new List<PublicTag>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (!PublicCandidateRegex().IsMatch(line))
            {
                continue;
            }

            var m = PublicEntryRegex().Match(line);
            if (!m.Success)
            {
                throw new FormatException($"{path}:{lineNumber}: cannot parse dictionary entry: {line.Trim()}");
            }

            var tagText = m.Groups["tag"].Success ? m.Groups["tag"].Value : m.Groups["pattern"].Value;
            result.Add(new PublicTag(
                TagPattern.Parse(tagText),
                ValueRepresentations.Parse(PythonLiteral.Unquote(m.Groups["vr"].Value)),
                PythonLiteral.Unquote(m.Groups["vm"].Value),
                PythonLiteral.Unquote(m.Groups["name"].Value),
                PythonLiteral.Unquote(m.Groups["keyword"].Value),
                PythonLiteral.ParseRetired(PythonLiteral.Unquote(m.Groups["retired"].Value))));
        }

        if (result.Count == 0)
        {
            throw new FormatException($"{path}: no dictionary entries found.");
        }

        return result;
    }

    /// <summary>
    /// The private entries that have the form (gggg,xxee) in an odd group, the only form a private creator reserves
    /// (PS3.5 7.8.1). pydicom (from GDCM) also lists a few entries of other forms: exact tags in sub-dictionaries such as
    /// "TOSHIBA_MEC_MR3^10", creators without a block ('001110xx') and even repeating groups ('60xxxx10'); these cannot be
    /// keyed by (creator, group, element) and are returned in <paramref name="skipped"/>.
    /// </summary>
    public static List<PrivateTag> ReadPrivate(string path, out List<string> skipped)
    {
        var result = new List<PrivateTag>();
        skipped = [];
        string? creator = null;
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            var c = PrivateCreatorRegex().Match(line);
            if (c.Success)
            {
                creator = PythonLiteral.Unquote(c.Groups["creator"].Value);
                continue;
            }

            if (!PrivateCandidateRegex().IsMatch(line))
            {
                continue;
            }

            var m = PrivateEntryRegex().Match(line);
            if (!m.Success || creator is null)
            {
                throw new FormatException($"{path}:{lineNumber}: cannot parse private dictionary entry: {line.Trim()}");
            }

            var key = m.Groups["tag"].Value;
            var vrs = ValueRepresentations.Parse(PythonLiteral.Unquote(m.Groups["vr"].Value));
            var vm = PythonLiteral.Unquote(m.Groups["vm"].Value);
            var name = PythonLiteral.Unquote(m.Groups["name"].Value);
            var retired = PythonLiteral.ParseRetired(PythonLiteral.Unquote(m.Groups["retired"].Value));
            if (!PrivateBlockKeyRegex().IsMatch(key))
            {
                skipped.Add($"{creator}: {key} {name}");
                continue;
            }

            var group = ushort.Parse(key.AsSpan(0, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
            var element = byte.Parse(key.AsSpan(6, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
            if ((group & 1) == 0 || group <= 0x0007 || group == 0xFFFF)
            {
                skipped.Add($"{creator}: {key} {name}");
                continue;
            }

            result.Add(new PrivateTag(creator.Trim(), group, element, vrs, vm, name, retired));
        }

        if (result.Count == 0)
        {
            throw new FormatException($"{path}: no private dictionary entries found.");
        }

        return result;
    }

    [GeneratedRegex("""^\s+(?:0x[0-9A-Fa-f]{8}|'[0-9A-Fa-fx]{8}')\s*:""")]
    private static partial Regex PublicCandidateRegex();

    [GeneratedRegex(
        """^\s+(?:0x(?<tag>[0-9A-Fa-f]{8})|'(?<pattern>[0-9A-Fa-fx]{8})')\s*:\s*\(\s*"""
        + "(?<vr>" + Str + """)\s*,\s*(?<vm>""" + Str + """)\s*,\s*(?<name>""" + Str + """)\s*,\s*(?<retired>"""
        + Str + """)\s*,\s*(?<keyword>""" + Str + """)\s*\)\s*,?\s*(?:#.*)?$""")]
    private static partial Regex PublicEntryRegex();

    [GeneratedRegex("^ {4}(?<creator>" + Str + """)\s*:\s*\{\s*$""")]
    private static partial Regex PrivateCreatorRegex();

    [GeneratedRegex("""^\s+'[0-9A-Fa-fx]{8}'\s*:""")]
    private static partial Regex PrivateCandidateRegex();

    [GeneratedRegex(
        """^\s+'(?<tag>[0-9A-Fa-fx]{8})'\s*:\s*\(\s*(?<vr>""" + Str + """)\s*,\s*(?<vm>""" + Str
        + """)\s*,\s*(?<name>""" + Str + """)\s*,\s*(?<retired>""" + Str + """)\s*\)\s*,?\s*(?:#.*)?$""")]
    private static partial Regex PrivateEntryRegex();

    [GeneratedRegex("^[0-9A-Fa-f]{4}xx[0-9A-Fa-f]{2}$")]
    private static partial Regex PrivateBlockKeyRegex();
}
