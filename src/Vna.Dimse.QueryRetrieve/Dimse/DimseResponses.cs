using Vna.Dicom;
using Vna.Dicom.Network;

namespace Vna.Dimse.QueryRetrieve;

/// <summary>Builds the response commands of the query/retrieve services.</summary>
internal static class DimseResponses
{
    public static DimseCommand Final(DimseCommand request, ushort status, string? errorComment, IReadOnlyList<DicomTag>? offending = null)
    {
        var response = DimseCommand.ResponseTo(request, status);
        if (errorComment is { Length: > 0 })
        {
            response.ErrorComment = Printable(errorComment);
        }

        if (offending is { Count: > 0 })
        {
            response.SetTags(DimseCommandTags.OffendingElement, offending);
        }

        return response;
    }

    /// <summary>A C-MOVE/C-GET response with the sub-operation counts (Remaining only while pending, PS3.4 C.4.2.1.4).</summary>
    public static DimseCommand WithCounts(DimseCommand request, ushort status, SubOperationProgress progress, bool final)
    {
        var response = DimseCommand.ResponseTo(request, status);
        if (!final)
        {
            response.RemainingSubOperations = Clamp(progress.Remaining);
        }

        response.CompletedSubOperations = Clamp(progress.Completed);
        response.FailedSubOperations = Clamp(progress.Failed);
        response.WarningSubOperations = Clamp(progress.Warning);
        return response;
    }

    /// <summary>The identifier of a final C-MOVE/C-GET response with failures: Failed SOP Instance UID List (0008,0058).</summary>
    public static DicomDataset? FailedList(IReadOnlyList<string> failed)
    {
        if (failed.Count == 0)
        {
            return null;
        }

        var identifier = new DicomDataset();
        identifier.AddOrUpdate(DicomTag.FailedSOPInstanceUIDList, DicomVR.UI, [.. failed]);
        return identifier;
    }

    private static ushort Clamp(int value) => (ushort)Math.Clamp(value, 0, ushort.MaxValue);

    /// <summary>Error Comment is LO: no backslash or control characters.</summary>
    private static string Printable(string text) =>
        new([.. text.Select(c => c is '\\' || char.IsControl(c) || c > '~' ? ' ' : c)]);
}
