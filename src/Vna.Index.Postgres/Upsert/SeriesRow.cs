using Vna.Core;
using Vna.Index.Postgres.Query;

namespace Vna.Index.Postgres.Upsert;

/// <summary>One series of a batch: its study (the last instance's) and the batch's non-empty series attributes merged.</summary>
internal sealed class SeriesRow(string uid)
{
    public string Uid { get; } = uid;

    public string StudyUid { get; private set; } = string.Empty;

    public string Modality { get; private set; } = string.Empty;

    public string SeriesNumber { get; private set; } = string.Empty;

    public string Description { get; private set; } = string.Empty;

    public string BodyPartExamined { get; private set; } = string.Empty;

    public string PerformedProcedureStepStartDate { get; private set; } = string.Empty;

    public string PerformedProcedureStepStartTime { get; private set; } = string.Empty;

    public string? PerformedProcedureStepStartTimeKey => IndexText.TimeKey(PerformedProcedureStepStartTime);

    public void Merge(InstanceAttributes a)
    {
        StudyUid = IndexText.Clean(a.StudyInstanceUid);
        Modality = RowMerge.Pick(a.Modality, Modality);
        SeriesNumber = RowMerge.Pick(IndexText.NormalizeIntegerString(a.SeriesNumber), SeriesNumber);
        Description = RowMerge.Pick(a.SeriesDescription, Description);
        BodyPartExamined = RowMerge.Pick(a.BodyPartExamined, BodyPartExamined);
        PerformedProcedureStepStartDate = RowMerge.Pick(a.PerformedProcedureStepStartDate, PerformedProcedureStepStartDate);
        PerformedProcedureStepStartTime = RowMerge.Pick(a.PerformedProcedureStepStartTime, PerformedProcedureStepStartTime);
    }
}
