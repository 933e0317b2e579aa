using Vna.Core;
using Vna.Index.Postgres.Query;

namespace Vna.Index.Postgres.Upsert;

/// <summary>One patient of a batch, keyed by (Patient ID, Issuer of Patient ID); the batch's non-empty values merged.</summary>
internal sealed class PatientRow(string patientId, string issuer)
{
    public string PatientId { get; } = patientId;

    public string Issuer { get; } = issuer;

    public string Name { get; private set; } = string.Empty;

    public string BirthDate { get; private set; } = string.Empty;

    public string Sex { get; private set; } = string.Empty;

    public string NameNorm => IndexText.NormalizePersonName(Name);

    public string NameWords => IndexText.PersonNameWordsColumn(Name);

    public void Merge(InstanceAttributes a)
    {
        Name = RowMerge.Pick(a.PatientName, Name);
        BirthDate = RowMerge.Pick(a.PatientBirthDate, BirthDate);
        Sex = RowMerge.Pick(a.PatientSex, Sex);
    }
}
