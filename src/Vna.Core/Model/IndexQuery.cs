using Vna.Dicom;

namespace Vna.Core;

/// <summary>
/// A query against the index, in C-FIND's terms: an identifier whose elements with values are matching keys
/// (PS3.4 C.2.2.2: single value, wildcards * and ?, UID lists, date/time ranges, universal matching for empty values)
/// and whose elements without values are return keys. QIDO-RS requests are translated into the same form.
/// </summary>
public sealed record IndexQuery
{
    public required QueryLevel Level { get; init; }

    public required DicomDataset Identifier { get; init; }

    /// <summary>Patient Root information model: patient-level keys only at PATIENT level, patients grouped by Patient ID + Issuer.</summary>
    public bool PatientRoot { get; init; }

    /// <summary>Person names match case-insensitively and, when set, also by prefix of each component (QIDO-RS fuzzymatching).</summary>
    public bool FuzzyMatching { get; init; }

    public int Offset { get; init; }

    /// <summary>At most this many matches (null: no limit beyond the index's own cap).</summary>
    public int? Limit { get; init; }

    /// <summary>Include rejected (hidden) studies, for administrators and the lifecycle engine.</summary>
    public bool IncludeHidden { get; init; }

    /// <summary>
    /// Only what these departments sent (configuration names, as stored), for callers scoped to their departments
    /// (DICOMweb tokens): at patient and study level the patients and studies holding at least one of their instances, at
    /// series level the series holding one, at instance level their instances only — what retrieval would serve the
    /// caller. Null matches every department.
    /// </summary>
    public IReadOnlyList<string>? SourceDepartments { get; init; }
}
