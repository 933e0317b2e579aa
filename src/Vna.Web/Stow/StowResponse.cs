using System.Globalization;
using Vna.Core;
using Vna.Dicom;

namespace Vna.Web.Stow;

/// <summary>The STOW-RS response data set (PS3.18 10.5.3): Retrieve URL, Referenced SOP Sequence, Failed SOP Sequence.</summary>
internal static class StowResponse
{
    // Failure Reason (0008,1197) values (PS3.4 / PS3.18 Table 10.5.3-2 use the C-STORE status codes).
    private const ushort ProcessingFailure = 0x0110;
    private const ushort DuplicateSopInstance = 0x0111;
    private const ushort SopClassNotSupported = 0x0122;
    private const ushort NotAuthorized = 0x0124;
    private const ushort OutOfResources = 0xA700;
    private const ushort DataSetDoesNotMatch = 0xA900;
    private const ushort CannotUnderstand = 0xC000;

    // Warning Reason (0008,1196): coercion of data elements; elements discarded.
    private const ushort Coercion = 0xB000;
    private const ushort ElementsDiscarded = 0xB006;

    public static DicomDataset Build(IReadOnlyList<StowPartResult> parts, string baseUrl, string? studyInstanceUid)
    {
        var response = new DicomDataset();
        var referenced = new DicomSequence(DicomTag.ReferencedSOPSequence);
        var failed = new DicomSequence(DicomTag.FailedSOPSequence);
        var studies = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in parts)
        {
            var result = part.Result;
            var item = new DicomDataset();
            if (result?.SopClassUid is { Length: > 0 } sopClass && DicomUid.IsValid(sopClass))
            {
                item.AddOrUpdate(DicomTag.ReferencedSOPClassUID, DicomVR.UI, sopClass);
            }

            if (result?.SopInstanceUid is { Length: > 0 } sop && DicomUid.IsValid(sop))
            {
                item.AddOrUpdate(DicomTag.ReferencedSOPInstanceUID, DicomVR.UI, sop);
            }

            if (part.Succeeded)
            {
                studies.Add(result!.StudyInstanceUid!);
                item.AddOrUpdate(DicomTag.RetrieveURL, DicomVR.UR,
                    $"{baseUrl}/studies/{result.StudyInstanceUid}/series/{result.SeriesInstanceUid}/instances/{result.SopInstanceUid}");
                if (result.Coerced || result.Status == StoreStatus.KeptFirst)
                {
                    item.AddOrUpdateValues(DicomTag.WarningReason, DicomVR.US, result.Status == StoreStatus.KeptFirst ? ElementsDiscarded : Coercion);
                }

                referenced.Add(item);
            }
            else
            {
                item.AddOrUpdateValues(DicomTag.FailureReason, DicomVR.US, FailureReason(result));
                failed.Add(item);
            }
        }

        var study = studyInstanceUid ?? (studies.Count == 1 ? studies.First() : null);
        if (study is not null)
        {
            response.AddOrUpdate(DicomTag.RetrieveURL, DicomVR.UR, $"{baseUrl}/studies/{study}");
        }

        if (failed.Items.Count > 0)
        {
            response.Add(failed);
        }

        if (referenced.Items.Count > 0)
        {
            response.Add(referenced);
        }

        return response;
    }

    public static ushort FailureReason(StoreResult? result) => result?.Failure switch
    {
        null => CannotUnderstand,
        StoreFailure.CannotUnderstand or StoreFailure.InvalidUid => CannotUnderstand,
        StoreFailure.DataSetDoesNotMatch => DataSetDoesNotMatch,
        StoreFailure.SopClassNotSupported => SopClassNotSupported,
        StoreFailure.Conflict => DuplicateSopInstance,
        StoreFailure.OutOfResources => OutOfResources,
        StoreFailure.NotAuthorized => NotAuthorized,
        _ => ProcessingFailure,
    };

    public static string Describe(ushort reason) => "0x" + reason.ToString("X4", CultureInfo.InvariantCulture);
}
