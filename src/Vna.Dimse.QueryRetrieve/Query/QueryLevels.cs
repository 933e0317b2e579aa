using Vna.Core;
using Vna.Dicom;

namespace Vna.Dimse.QueryRetrieve;

/// <summary>Query/Retrieve Level (0008,0052) terms, and which levels each information model has.</summary>
public static class QueryLevels
{
    public static string Term(QueryLevel level) => level switch
    {
        QueryLevel.Patient => "PATIENT",
        QueryLevel.Study => "STUDY",
        QueryLevel.Series => "SERIES",
        _ => "IMAGE",
    };

    /// <summary>The level an identifier names, or a problem (absent, unknown, or not a level of <paramref name="model"/>).</summary>
    public static QueryLevel? Read(DicomDataset identifier, QueryRetrieveModel model, out IdentifierProblem? problem)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        problem = null;
        if (identifier.GetElement(DicomTag.QueryRetrieveLevel) is null)
        {
            problem = IdentifierProblem.DoesNotMatch("Query/Retrieve Level (0008,0052) is missing.", DicomTag.QueryRetrieveLevel);
            return null;
        }

        var term = identifier.GetString(DicomTag.QueryRetrieveLevel)?.Trim() ?? string.Empty;
        QueryLevel? level = term switch
        {
            "PATIENT" => QueryLevel.Patient,
            "STUDY" => QueryLevel.Study,
            "SERIES" => QueryLevel.Series,
            "IMAGE" => QueryLevel.Image,
            _ => null,
        };

        if (level is null)
        {
            problem = IdentifierProblem.DoesNotMatch(
                $"Query/Retrieve Level '{Printable(term)}' is not PATIENT, STUDY, SERIES or IMAGE.", DicomTag.QueryRetrieveLevel);
            return null;
        }

        if (level == QueryLevel.Patient && model == QueryRetrieveModel.StudyRoot)
        {
            problem = IdentifierProblem.DoesNotMatch("The Study Root model has no PATIENT level.", DicomTag.QueryRetrieveLevel);
            return null;
        }

        return level;
    }

    /// <summary>A value safe to quote in an Error Comment (LO: 64 characters, no control characters, no backslash).</summary>
    internal static string Printable(string value)
    {
        var cleaned = new string([.. value.Where(c => c >= ' ' && c != '\\' && c < 0x7F).Take(24)]);
        return cleaned;
    }
}
