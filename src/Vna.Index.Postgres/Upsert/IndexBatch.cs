using Vna.Core;
using Vna.Index.Postgres.Query;

namespace Vna.Index.Postgres.Upsert;

/// <summary>
/// A registration batch reduced to the rows the index writes: instances deduplicated by SOP Instance UID (the last
/// wins), one patient, study and series row per key with the batch's non-empty values merged (later instances win),
/// each table's rows sorted by key (so that concurrent batches lock rows in the same order), laid out as column arrays
/// for <c>unnest</c>.
/// </summary>
internal sealed class IndexBatch
{
    /// <summary>Separates the values of a set (modalities, SOP classes, departments) in one text value; split by <c>string_to_array(…, chr(31))</c>.</summary>
    public const char SetSeparator = '\u001F';

    private IndexBatch(List<StoredInstance> instances, List<PatientRow> patients, List<StudyRow> studies, List<SeriesRow> series)
    {
        Instances = instances;
        Patients = patients;
        Studies = studies;
        Series = series;
    }

    public IReadOnlyList<StoredInstance> Instances { get; }

    public IReadOnlyList<PatientRow> Patients { get; }

    public IReadOnlyList<StudyRow> Studies { get; }

    public IReadOnlyList<SeriesRow> Series { get; }

    public static IndexBatch Create(IReadOnlyList<StoredInstance> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var bySop = new Dictionary<string, StoredInstance>(StringComparer.Ordinal);
        foreach (var instance in input)
        {
            ArgumentNullException.ThrowIfNull(instance);
            Validate(instance);
            bySop[IndexText.Clean(instance.SopInstanceUid)] = instance;
        }

        var patients = new Dictionary<(string, string), PatientRow>();
        var studies = new Dictionary<string, StudyRow>(StringComparer.Ordinal);
        var series = new Dictionary<string, SeriesRow>(StringComparer.Ordinal);
        foreach (var instance in input)
        {
            var a = instance.Attributes;
            var patientKey = (IndexText.Clean(a.PatientId), IndexText.Clean(a.IssuerOfPatientId));
            if (!patients.TryGetValue(patientKey, out var patient))
            {
                patients[patientKey] = patient = new PatientRow(patientKey.Item1, patientKey.Item2);
            }

            patient.Merge(a);

            var studyUid = IndexText.Clean(a.StudyInstanceUid);
            if (!studies.TryGetValue(studyUid, out var study))
            {
                studies[studyUid] = study = new StudyRow(studyUid);
            }

            study.Merge(instance, patientKey);

            var seriesUid = IndexText.Clean(a.SeriesInstanceUid);
            if (!series.TryGetValue(seriesUid, out var seriesRow))
            {
                series[seriesUid] = seriesRow = new SeriesRow(seriesUid);
            }

            seriesRow.Merge(a);
        }

        return new IndexBatch(
            [.. bySop.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value)],
            [.. patients.Values.OrderBy(p => p.PatientId, StringComparer.Ordinal).ThenBy(p => p.Issuer, StringComparer.Ordinal)],
            [.. studies.Values.OrderBy(s => s.Uid, StringComparer.Ordinal)],
            [.. series.Values.OrderBy(s => s.Uid, StringComparer.Ordinal)]);
    }

    /// <summary>The values of a set as one text value (see <see cref="SetSeparator"/>), sorted.</summary>
    public static string JoinSet(SortedSet<string> values) => string.Join(SetSeparator, values);

    private static void Validate(StoredInstance instance)
    {
        var a = instance.Attributes ?? throw new ArgumentException("An instance has no attributes.", nameof(instance));
        Require(a.StudyInstanceUid, "Study Instance UID");
        Require(a.SeriesInstanceUid, "Series Instance UID");
        Require(a.SopInstanceUid, "SOP Instance UID");
        Require(a.SopClassUid, "SOP Class UID");
        Require(instance.TransferSyntaxUid, "Transfer Syntax UID");
        Require(instance.Location, "location");
        Require(instance.Sha256, "SHA-256");
        if (!Enum.IsDefined(instance.Tier))
        {
            throw new ArgumentException($"Instance {a.SopInstanceUid}: unknown tier {instance.Tier}.", nameof(instance));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(instance.Size, nameof(instance));

        static void Require(string? value, string what)
        {
            if (IndexText.Clean(value).Length == 0)
            {
                throw new ArgumentException($"An instance has no {what}.", nameof(instance));
            }
        }
    }
}
