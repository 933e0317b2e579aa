using Vna.Core;

namespace Vna.Archive.Serialization;

[RegisterConverter]
public sealed class StudySummaryConverter : IConverter<StudySummary, StudySummarySurrogate>
{
    public StudySummary ConvertFromSurrogate(in StudySummarySurrogate s) => new()
    {
        StudyInstanceUid = s.StudyInstanceUid,
        InstanceCount = s.InstanceCount,
        SeriesCount = s.SeriesCount,
        TotalBytes = s.TotalBytes,
        SourceDepartments = s.SourceDepartments ?? [],
        LifecycleState = (StudyLifecycleState)s.LifecycleState,
        OnLegalHold = s.OnLegalHold,
        FirstReceivedAt = s.FirstReceivedAt,
        LastReceivedAt = s.LastReceivedAt,
        NextDueAt = s.NextDueAt,
    };

    public StudySummarySurrogate ConvertToSurrogate(in StudySummary s) => new()
    {
        StudyInstanceUid = s.StudyInstanceUid,
        InstanceCount = s.InstanceCount,
        SeriesCount = s.SeriesCount,
        TotalBytes = s.TotalBytes,
        SourceDepartments = [.. s.SourceDepartments],
        LifecycleState = (int)s.LifecycleState,
        OnLegalHold = s.OnLegalHold,
        FirstReceivedAt = s.FirstReceivedAt,
        LastReceivedAt = s.LastReceivedAt,
        NextDueAt = s.NextDueAt,
    };
}
