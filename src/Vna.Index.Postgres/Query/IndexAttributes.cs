using System.Collections.Frozen;
using Vna.Core;
using Vna.Dicom;

namespace Vna.Index.Postgres.Query;

/// <summary>
/// The catalogue of attributes the index matches and returns (PS3.4 C.6.1.1 / C.6.2.1 keys that the index holds), with
/// their table aliases: p (patient), st (study), se (series), i (instance).
/// </summary>
internal static class IndexAttributes
{
    /// <summary>Replaced by the translator with the condition that keeps hidden studies out (or nothing).</summary>
    public const string VisibleToken = "{visible}";

    private static readonly FrozenDictionary<DicomTag, IndexAttribute> s_byTag = Build().ToFrozenDictionary(a => a.Tag);

    public static bool TryGet(DicomTag tag, out IndexAttribute attribute) => s_byTag.TryGetValue(tag, out attribute!);

    public static IndexAttribute Get(DicomTag tag) => s_byTag[tag];

    private static IEnumerable<IndexAttribute> Build()
    {
        const QueryLevel P = QueryLevel.Patient, St = QueryLevel.Study, Se = QueryLevel.Series, I = QueryLevel.Image;

        // Patient
        yield return new(DicomTag.PatientName, DicomVR.PN, P, MatchKind.PersonName, "p.patient_name", "p.patient_name_norm", "p.patient_name_words");
        yield return new(DicomTag.PatientID, DicomVR.LO, P, MatchKind.Text, "p.patient_id");
        yield return new(DicomTag.IssuerOfPatientID, DicomVR.LO, P, MatchKind.Text, "p.issuer_of_patient_id");
        yield return new(DicomTag.PatientBirthDate, DicomVR.DA, P, MatchKind.Date, "p.patient_birth_date");
        yield return new(DicomTag.PatientSex, DicomVR.CS, P, MatchKind.Text, "p.patient_sex");
        yield return new(DicomTag.NumberOfPatientRelatedStudies, DicomVR.IS, P, MatchKind.Count,
            $"(SELECT count(*) FROM study x WHERE x.patient_pk = p.patient_pk {VisibleToken})");
        yield return new(DicomTag.NumberOfPatientRelatedSeries, DicomVR.IS, P, MatchKind.Count,
            $"(SELECT coalesce(sum(x.num_series), 0) FROM study x WHERE x.patient_pk = p.patient_pk {VisibleToken})");
        yield return new(DicomTag.NumberOfPatientRelatedInstances, DicomVR.IS, P, MatchKind.Count,
            $"(SELECT coalesce(sum(x.num_instances), 0) FROM study x WHERE x.patient_pk = p.patient_pk {VisibleToken})");

        // Study
        yield return new(DicomTag.StudyInstanceUID, DicomVR.UI, St, MatchKind.Uid, "st.study_instance_uid");
        yield return new(DicomTag.StudyDate, DicomVR.DA, St, MatchKind.Date, "st.study_date");
        yield return new(DicomTag.StudyTime, DicomVR.TM, St, MatchKind.Time, "st.study_time", "st.study_time_key");
        yield return new(DicomTag.AccessionNumber, DicomVR.SH, St, MatchKind.Text, "st.accession_number");
        yield return new(DicomTag.IssuerOfAccessionNumberSequence, DicomVR.SQ, St, MatchKind.IssuerSequence, "st.issuer_of_accession_number");
        yield return new(DicomTag.StudyDescription, DicomVR.LO, St, MatchKind.Text, "st.study_description");
        yield return new(DicomTag.StudyID, DicomVR.SH, St, MatchKind.Text, "st.study_id");
        yield return new(DicomTag.ReferringPhysicianName, DicomVR.PN, St, MatchKind.PersonName,
            "st.referring_physician_name", "st.referring_physician_name_norm", "st.referring_physician_name_words");
        yield return new(DicomTag.ModalitiesInStudy, DicomVR.CS, St, MatchKind.TextArray, "st.modalities_in_study");
        yield return new(DicomTag.SOPClassesInStudy, DicomVR.UI, St, MatchKind.TextArray, "st.sop_classes_in_study");
        yield return new(DicomTag.NumberOfStudyRelatedSeries, DicomVR.IS, St, MatchKind.Count, "st.num_series");
        yield return new(DicomTag.NumberOfStudyRelatedInstances, DicomVR.IS, St, MatchKind.Count, "st.num_instances");

        // Series
        yield return new(DicomTag.SeriesInstanceUID, DicomVR.UI, Se, MatchKind.Uid, "se.series_instance_uid");
        yield return new(DicomTag.Modality, DicomVR.CS, Se, MatchKind.Text, "se.modality");
        yield return new(DicomTag.SeriesNumber, DicomVR.IS, Se, MatchKind.IntegerString, "se.series_number");
        yield return new(DicomTag.SeriesDescription, DicomVR.LO, Se, MatchKind.Text, "se.series_description");
        yield return new(DicomTag.BodyPartExamined, DicomVR.CS, Se, MatchKind.Text, "se.body_part_examined");
        yield return new(DicomTag.PerformedProcedureStepStartDate, DicomVR.DA, Se, MatchKind.Date, "se.performed_procedure_step_start_date");
        yield return new(DicomTag.PerformedProcedureStepStartTime, DicomVR.TM, Se, MatchKind.Time,
            "se.performed_procedure_step_start_time", "se.performed_procedure_step_start_time_key");
        yield return new(DicomTag.NumberOfSeriesRelatedInstances, DicomVR.IS, Se, MatchKind.Count, "se.num_instances");

        // Instance
        yield return new(DicomTag.SOPInstanceUID, DicomVR.UI, I, MatchKind.Uid, "i.sop_instance_uid");
        yield return new(DicomTag.SOPClassUID, DicomVR.UI, I, MatchKind.Uid, "i.sop_class_uid");
        yield return new(DicomTag.InstanceNumber, DicomVR.IS, I, MatchKind.IntegerString, "i.instance_number");
        yield return new(DicomTag.AvailableTransferSyntaxUID, DicomVR.UI, I, MatchKind.Uid, "i.transfer_syntax_uid");
    }
}
