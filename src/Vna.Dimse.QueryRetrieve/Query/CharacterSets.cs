using Vna.Dicom;

namespace Vna.Dimse.QueryRetrieve;

/// <summary>Specific Character Set checks shared by the query and retrieve services.</summary>
internal static class CharacterSets
{
    public const string Utf8 = "ISO_IR 192";

    /// <summary>True when every term of a (0008,0005) value names a character set the toolkit knows (misspellings it corrects included).</summary>
    public static bool IsSupported(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return true;
        }

        var warnings = new List<string>();
        _ = DicomCharacterSet.FromValue(value, warnings);
        return !warnings.Exists(w => w.StartsWith("Unknown", StringComparison.Ordinal));
    }
}
