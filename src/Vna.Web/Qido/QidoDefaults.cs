using Vna.Core;
using Vna.Dicom;

namespace Vna.Web.Qido;

/// <summary>What QIDO-RS returns without includefield (PS3.18 Tables 10.6.3-3 to 10.6.3-5), and "all" at each level.</summary>
internal static class QidoDefaults
{
    private static readonly DicomTag[] s_study =
    [
        DicomTag.StudyDate, DicomTag.StudyTime, DicomTag.AccessionNumber, DicomTag.InstanceAvailability, DicomTag.ModalitiesInStudy,
        DicomTag.ReferringPhysicianName, DicomTag.PatientName, DicomTag.PatientID, DicomTag.PatientBirthDate, DicomTag.PatientSex,
        DicomTag.StudyInstanceUID, DicomTag.StudyID, DicomTag.NumberOfStudyRelatedSeries, DicomTag.NumberOfStudyRelatedInstances,
    ];

    private static readonly DicomTag[] s_studyAll =
    [
        .. s_study, DicomTag.StudyDescription, DicomTag.IssuerOfPatientID, DicomTag.SOPClassesInStudy,
    ];

    private static readonly DicomTag[] s_series =
    [
        DicomTag.Modality, DicomTag.SeriesDescription, DicomTag.SeriesInstanceUID, DicomTag.SeriesNumber,
        DicomTag.NumberOfSeriesRelatedInstances, DicomTag.PerformedProcedureStepStartDate, DicomTag.PerformedProcedureStepStartTime,
    ];

    private static readonly DicomTag[] s_seriesAll = [.. s_series, DicomTag.BodyPartExamined, DicomTag.InstanceAvailability];

    private static readonly DicomTag[] s_instance =
    [
        DicomTag.SOPClassUID, DicomTag.SOPInstanceUID, DicomTag.InstanceAvailability, DicomTag.InstanceNumber,
        DicomTag.Rows, DicomTag.Columns, DicomTag.BitsAllocated, DicomTag.NumberOfFrames,
    ];

    private static readonly DicomTag[] s_instanceAll = [.. s_instance, DicomTag.AvailableTransferSyntaxUID];

    /// <summary>The attributes QIDO-RS returns at <paramref name="level"/> (in a study- or series-scoped search, the scope's own are left out).</summary>
    public static IEnumerable<DicomTag> For(QueryLevel level, bool all, bool studyScoped, bool seriesScoped)
    {
        IEnumerable<DicomTag> tags = level switch
        {
            QueryLevel.Study => all ? s_studyAll : s_study,
            QueryLevel.Series => all ? s_seriesAll : s_series,
            _ => all ? s_instanceAll : s_instance,
        };

        // A search across studies also returns the study's attributes (PS3.18 10.6.3.3: series and instances searched
        // outside a study include the study-level defaults); scoped searches do not repeat them.
        if (level >= QueryLevel.Series && !studyScoped)
        {
            tags = tags.Concat(all ? s_studyAll : s_study);
        }

        if (level == QueryLevel.Image && !seriesScoped)
        {
            tags = tags.Concat(all ? s_seriesAll : s_series);
        }

        return tags.Distinct();
    }
}
