using System.Diagnostics.CodeAnalysis;

namespace Vna.Dimse.QueryRetrieve;

/// <summary>The Query/Retrieve SOP classes the archive provides (Patient Root and Study Root; FIND, MOVE, GET).</summary>
public static class QueryRetrieveSopClasses
{
    public const string PatientRootFind = "1.2.840.10008.5.1.4.1.2.1.1";
    public const string PatientRootMove = "1.2.840.10008.5.1.4.1.2.1.2";
    public const string PatientRootGet = "1.2.840.10008.5.1.4.1.2.1.3";
    public const string StudyRootFind = "1.2.840.10008.5.1.4.1.2.2.1";
    public const string StudyRootMove = "1.2.840.10008.5.1.4.1.2.2.2";
    public const string StudyRootGet = "1.2.840.10008.5.1.4.1.2.2.3";

    /// <summary>Every SOP class above, for the SCP's presentation context table.</summary>
    public static IReadOnlyList<string> All { get; } =
        [PatientRootFind, PatientRootMove, PatientRootGet, StudyRootFind, StudyRootMove, StudyRootGet];

    /// <summary>The model and operation of a SOP class UID; false for any other UID.</summary>
    public static bool TryDescribe(string? sopClassUid, out QueryRetrieveModel model, out QueryRetrieveOperation operation)
    {
        (model, operation) = sopClassUid?.TrimEnd('\0', ' ') switch
        {
            PatientRootFind => (QueryRetrieveModel.PatientRoot, QueryRetrieveOperation.Find),
            PatientRootMove => (QueryRetrieveModel.PatientRoot, QueryRetrieveOperation.Move),
            PatientRootGet => (QueryRetrieveModel.PatientRoot, QueryRetrieveOperation.Get),
            StudyRootFind => (QueryRetrieveModel.StudyRoot, QueryRetrieveOperation.Find),
            StudyRootMove => (QueryRetrieveModel.StudyRoot, QueryRetrieveOperation.Move),
            StudyRootGet => (QueryRetrieveModel.StudyRoot, QueryRetrieveOperation.Get),
            _ => ((QueryRetrieveModel)(-1), (QueryRetrieveOperation)(-1)),
        };
        return Enum.IsDefined(model);
    }

    /// <summary>The SOP class UID of a model and operation.</summary>
    [SuppressMessage("Style", "IDE0072:Add missing cases", Justification = "Every combination is listed.")]
    public static string Of(QueryRetrieveModel model, QueryRetrieveOperation operation) => (model, operation) switch
    {
        (QueryRetrieveModel.PatientRoot, QueryRetrieveOperation.Find) => PatientRootFind,
        (QueryRetrieveModel.PatientRoot, QueryRetrieveOperation.Move) => PatientRootMove,
        (QueryRetrieveModel.PatientRoot, QueryRetrieveOperation.Get) => PatientRootGet,
        (QueryRetrieveModel.StudyRoot, QueryRetrieveOperation.Find) => StudyRootFind,
        (QueryRetrieveModel.StudyRoot, QueryRetrieveOperation.Move) => StudyRootMove,
        (QueryRetrieveModel.StudyRoot, QueryRetrieveOperation.Get) => StudyRootGet,
        _ => throw new ArgumentOutOfRangeException(nameof(model)),
    };
}
