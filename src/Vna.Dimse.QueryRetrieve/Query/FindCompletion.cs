using Vna.Dicom;

namespace Vna.Dimse.QueryRetrieve;

/// <summary>How a C-FIND ended: the final response's status, its Error Comment and Offending Elements, and how many matches went out.</summary>
public sealed record FindCompletion(ushort Status, string? ErrorComment, IReadOnlyList<DicomTag> OffendingElements, int MatchesSent)
{
    public static FindCompletion From(IdentifierProblem problem) =>
        new(problem.Status, problem.ErrorComment, problem.OffendingElements, 0);
}
