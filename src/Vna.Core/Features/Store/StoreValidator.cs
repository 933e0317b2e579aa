using Vna.Dicom;

namespace Vna.Core;

/// <summary>
/// Checks an object before it is archived: SOP Class, SOP Instance, Study and Series Instance UIDs present and well formed
/// (PS3.5 9.1); equal to what the protocol announced; the SOP class a storage class of the dictionary, or allowed by the
/// options. A File Meta Information that disagrees with the data set is not a refusal: the meta is corrected.
/// </summary>
internal static class StoreValidator
{
    public static StoreCheck Validate(DicomFile file, StoreRequest request, ArchiveOptions options)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);

        var dataset = file.Dataset;
        var check = new StoreCheck
        {
            SopClassUid = Uid(dataset, DicomTag.SOPClassUID),
            SopInstanceUid = Uid(dataset, DicomTag.SOPInstanceUID),
            StudyInstanceUid = Uid(dataset, DicomTag.StudyInstanceUID),
            SeriesInstanceUid = Uid(dataset, DicomTag.SeriesInstanceUID),
        };

        var invalid = CheckUid(check.SopClassUid, DicomTag.SOPClassUID, "SOP Class UID")
            ?? CheckUid(check.SopInstanceUid, DicomTag.SOPInstanceUID, "SOP Instance UID")
            ?? CheckUid(check.StudyInstanceUid, DicomTag.StudyInstanceUID, "Study Instance UID")
            ?? CheckUid(check.SeriesInstanceUid, DicomTag.SeriesInstanceUID, "Series Instance UID");
        if (invalid is not null)
        {
            return check with { Failure = StoreFailure.InvalidUid, Reason = invalid };
        }

        var mismatch = Mismatch(check.SopClassUid, request.ExpectedSopClassUid, DicomTag.SOPClassUID, "SOP Class UID", "the announced")
            ?? Mismatch(check.SopInstanceUid, request.ExpectedSopInstanceUid, DicomTag.SOPInstanceUID, "SOP Instance UID", "the announced")
            ?? Mismatch(check.StudyInstanceUid, request.ExpectedStudyInstanceUid, DicomTag.StudyInstanceUID, "Study Instance UID", "the request's");
        if (mismatch is not null)
        {
            return check with { Failure = StoreFailure.DataSetDoesNotMatch, Reason = mismatch };
        }

        var sopClass = check.SopClassUid!;
        var known = DicomUid.Lookup(sopClass);
        var allowed = known is not null
            ? known.IsStorageSopClass
            : options.AllowUnknownSopClasses;
        if (!allowed && !options.AllowedPrivateSopClasses.Contains(sopClass, StringComparer.Ordinal))
        {
            var what = known is not null ? $"{known.Name} ({sopClass}) is not a storage SOP class" : $"the SOP class {sopClass} is not known and unknown SOP classes are not accepted";
            return check with { Failure = StoreFailure.SopClassNotSupported, Reason = $"{what}." };
        }

        return check;
    }

    /// <summary>
    /// When the File Meta Information names another SOP class or instance than the data set (a defect some exporters have),
    /// what to report; the data set is authoritative and the meta is rebuilt from it. Null when they agree.
    /// </summary>
    public static string? FileMetaMismatch(DicomFile file, StoreCheck check)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(check);
        if (!file.HasFileMetaInformation)
        {
            return null;
        }

        var mismatch = Mismatch(check.SopClassUid, NonEmpty(Uid(file.FileMetaInformation, DicomTag.MediaStorageSOPClassUID)), DicomTag.SOPClassUID, "SOP Class UID", "the File Meta Information's")
            ?? Mismatch(check.SopInstanceUid, NonEmpty(Uid(file.FileMetaInformation, DicomTag.MediaStorageSOPInstanceUID)), DicomTag.SOPInstanceUID, "SOP Instance UID", "the File Meta Information's");
        return mismatch is null ? null : $"{mismatch} The File Meta Information was corrected from the data set.";
    }

    private static string? Uid(DicomDataset dataset, DicomTag tag)
    {
        try
        {
            return dataset.GetElement(tag) is null ? null : dataset.GetString(tag);
        }
        catch (DicomDataException)
        {
            return string.Empty;
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string? CheckUid(string? value, DicomTag tag, string name)
    {
        if (string.IsNullOrEmpty(value))
        {
            return $"{name} {tag} is missing or empty.";
        }

        return DicomUid.IsValid(value) ? null : $"{name} {tag} '{value}' is not a valid UID.";
    }

    private static string? Mismatch(string? actual, string? expected, DicomTag tag, string name, string source)
    {
        if (expected is null)
        {
            return null;
        }

        var trimmed = expected.TrimEnd('\0', ' ');
        return string.Equals(actual, trimmed, StringComparison.Ordinal)
            ? null
            : $"{name} {tag} {actual} differs from {source} {trimmed}.";
    }
}
