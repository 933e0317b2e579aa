using Vna.Core;

namespace Vna.Dimse.QueryRetrieve;

/// <summary>
/// What a C-MOVE or C-GET identifier selects (PS3.4 C.4.2.2.1): the level and the unique keys given for it and for the
/// levels above (empty lists: not given). The keys of the retrieve level may be lists of UIDs.
/// </summary>
public sealed record RetrieveSelection
{
    public required QueryLevel Level { get; init; }

    public required QueryRetrieveModel Model { get; init; }

    public string? PatientId { get; init; }

    public string? IssuerOfPatientId { get; init; }

    public IReadOnlyList<string> StudyInstanceUids { get; init; } = [];

    public IReadOnlyList<string> SeriesInstanceUids { get; init; } = [];

    public IReadOnlyList<string> SopInstanceUids { get; init; } = [];
}
