using Vna.Core;
using Vna.Dicom;

namespace Vna.Dimse.QueryRetrieve;

/// <summary>
/// Reads a C-MOVE / C-GET identifier (PS3.4 C.4.2.2.1): the unique key of the retrieve level must be there with a value
/// (a list of UIDs is allowed at that level); the unique keys of the levels above, when given, narrow the selection.
/// Other keys are not allowed in a hierarchical retrieve and are ignored.
/// </summary>
public static class RetrieveRequestParser
{
    public static RetrieveSelection? Parse(DicomDataset identifier, QueryRetrieveModel model, out IdentifierProblem? problem)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        var level = QueryLevels.Read(identifier, model, out problem);
        if (level is null)
        {
            return null;
        }

        var studies = Uids(identifier, DicomTag.StudyInstanceUID, out problem);
        var series = problem is null ? Uids(identifier, DicomTag.SeriesInstanceUID, out problem) : [];
        var sops = problem is null ? Uids(identifier, DicomTag.SOPInstanceUID, out problem) : [];
        if (problem is not null)
        {
            return null;
        }

        var patientId = Single(identifier, DicomTag.PatientID);
        var (key, given) = level switch
        {
            QueryLevel.Patient => (DicomTag.PatientID, patientId is not null),
            QueryLevel.Study => (DicomTag.StudyInstanceUID, studies.Length > 0),
            QueryLevel.Series => (DicomTag.SeriesInstanceUID, series.Length > 0),
            _ => (DicomTag.SOPInstanceUID, sops.Length > 0),
        };

        if (!given)
        {
            problem = IdentifierProblem.DoesNotMatch($"A {QueryLevels.Term(level.Value)} level retrieve needs a value of {DicomDictionary.Lookup(key)?.Keyword}.", key);
            return null;
        }

        // Lists only at the retrieve level: above it a unique key names one entity.
        if ((level > QueryLevel.Study && studies.Length > 1) || (level > QueryLevel.Series && series.Length > 1))
        {
            var tag = level > QueryLevel.Study && studies.Length > 1 ? DicomTag.StudyInstanceUID : DicomTag.SeriesInstanceUID;
            problem = IdentifierProblem.DoesNotMatch("A list of UIDs is allowed only at the retrieve level.", tag);
            return null;
        }

        return new RetrieveSelection
        {
            Level = level.Value,
            Model = model,
            PatientId = patientId,
            IssuerOfPatientId = Single(identifier, DicomTag.IssuerOfPatientID),
            StudyInstanceUids = level >= QueryLevel.Study ? studies : [],
            SeriesInstanceUids = level >= QueryLevel.Series ? series : [],
            SopInstanceUids = level >= QueryLevel.Image ? sops : [],
        };
    }

    private static string? Single(DicomDataset identifier, DicomTag tag)
    {
        var value = identifier.GetString(tag)?.Trim();
        return string.IsNullOrEmpty(value) || value == "*" ? null : value;
    }

    private static string[] Uids(DicomDataset identifier, DicomTag tag, out IdentifierProblem? problem)
    {
        problem = null;
        var values = identifier.GetStrings(tag).Select(v => v.Trim('\0', ' ')).Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
        foreach (var value in values)
        {
            if (value.Length > 64 || !value.All(c => c is '.' || char.IsAsciiDigit(c)))
            {
                problem = IdentifierProblem.DoesNotMatch($"{DicomDictionary.Lookup(tag)?.Keyword} holds a value that is not a UID.", tag);
                return [];
            }
        }

        return values;
    }
}
