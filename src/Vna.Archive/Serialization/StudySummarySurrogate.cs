namespace Vna.Archive.Serialization;

[GenerateSerializer]
[Alias("vna.StudySummary")]
public struct StudySummarySurrogate
{
    [Id(0)] public string StudyInstanceUid;
    [Id(1)] public int InstanceCount;
    [Id(2)] public int SeriesCount;
    [Id(3)] public long TotalBytes;
    [Id(4)] public string[] SourceDepartments;
    [Id(5)] public int LifecycleState;
    [Id(6)] public bool OnLegalHold;
    [Id(7)] public DateTimeOffset? FirstReceivedAt;
    [Id(8)] public DateTimeOffset? LastReceivedAt;
    [Id(9)] public DateTimeOffset? NextDueAt;
}
