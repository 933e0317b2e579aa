using Vna.Core;
using Vna.Index.Postgres.Query;

namespace Vna.Index.Postgres.Upsert;

/// <summary>
/// One study of a batch: its patient (the last instance's), the batch's non-empty study attributes merged, and the sets
/// the index keeps per study (modalities, SOP classes, source departments) and the span of reception times.
/// </summary>
internal sealed class StudyRow(string uid)
{
    public string Uid { get; } = uid;

    public (string PatientId, string Issuer) Patient { get; private set; }

    public string Date { get; private set; } = string.Empty;

    public string Time { get; private set; } = string.Empty;

    public string AccessionNumber { get; private set; } = string.Empty;

    public string IssuerOfAccessionNumber { get; private set; } = string.Empty;

    public string Description { get; private set; } = string.Empty;

    public string StudyId { get; private set; } = string.Empty;

    public string ReferringPhysicianName { get; private set; } = string.Empty;

    public SortedSet<string> Modalities { get; } = new(StringComparer.Ordinal);

    public SortedSet<string> SopClasses { get; } = new(StringComparer.Ordinal);

    public SortedSet<string> Departments { get; } = new(StringComparer.Ordinal);

    public DateTime FirstReceivedAt { get; private set; } = DateTime.MaxValue;

    public DateTime LastReceivedAt { get; private set; } = DateTime.MinValue;

    public string? TimeKey => IndexText.TimeKey(Time);

    public string ReferringPhysicianNameNorm => IndexText.NormalizePersonName(ReferringPhysicianName);

    public string ReferringPhysicianNameWords => IndexText.PersonNameWordsColumn(ReferringPhysicianName);

    public void Merge(StoredInstance instance, (string, string) patient)
    {
        var a = instance.Attributes;
        Patient = patient;
        Date = RowMerge.Pick(a.StudyDate, Date);
        Time = RowMerge.Pick(a.StudyTime, Time);
        AccessionNumber = RowMerge.Pick(a.AccessionNumber, AccessionNumber);
        IssuerOfAccessionNumber = RowMerge.Pick(a.IssuerOfAccessionNumber, IssuerOfAccessionNumber);
        Description = RowMerge.Pick(a.StudyDescription, Description);
        StudyId = RowMerge.Pick(a.StudyId, StudyId);
        ReferringPhysicianName = RowMerge.Pick(a.ReferringPhysicianName, ReferringPhysicianName);
        AddTo(Modalities, a.Modality);
        AddTo(SopClasses, a.SopClassUid);
        AddTo(Departments, instance.SourceDepartment);
        var received = instance.ReceivedAt.UtcDateTime;
        if (received < FirstReceivedAt)
        {
            FirstReceivedAt = received;
        }

        if (received > LastReceivedAt)
        {
            LastReceivedAt = received;
        }
    }

    private static void AddTo(SortedSet<string> set, string? value)
    {
        var clean = IndexText.Clean(value).Replace(IndexBatch.SetSeparator, ' ');
        if (clean.Length > 0)
        {
            set.Add(clean);
        }
    }
}
