using System.Text.RegularExpressions;

namespace Vna.Dicom.Generators;

/// <summary>The pydicom release and DICOM edition its dictionaries were generated from, read from its _version.py.</summary>
internal sealed partial record SourceVersion(string Pydicom, string DicomEdition)
{
    public override string ToString() => $"pydicom {Pydicom} (DICOM PS3.6 {DicomEdition})";

    /// <summary>Reads _version.py beside the dictionary files; "unknown" for what it does not say.</summary>
    public static SourceVersion Read(string pydicomDirectory)
    {
        var path = Path.Combine(pydicomDirectory, "_version.py");
        if (!File.Exists(path))
        {
            return new SourceVersion("unknown", "unknown");
        }

        var text = File.ReadAllText(path);
        var version = VersionRegex().Match(text);
        var edition = EditionRegex().Match(text);
        return new SourceVersion(
            version.Success ? version.Groups[1].Value : "unknown",
            edition.Success ? edition.Groups[1].Value : "unknown");
    }

    [GeneratedRegex("""^__version__\s*(?::\s*str\s*)?=\s*['"]([^'"]+)['"]""", RegexOptions.Multiline)]
    private static partial Regex VersionRegex();

    [GeneratedRegex("""^__dicom_version__\s*(?::\s*str\s*)?=\s*['"]([^'"]+)['"]""", RegexOptions.Multiline)]
    private static partial Regex EditionRegex();
}
