using Vna.Core;
using Vna.Dicom;

namespace Vna.Dimse.QueryRetrieve;

/// <summary>
/// Finds the instances a retrieve selects: the index is asked (through <see cref="IIndexStore.QueryAsync"/>, so hidden
/// studies stay out, as they do for C-FIND) which studies, series or instances match the unique keys, then each study's
/// placement rows are read and filtered. The result is in series, then registration order.
/// </summary>
public sealed class InstanceResolver(IIndexStore index)
{
    private const int PageSize = 5000;

    /// <summary>At most this many SOP Instance UIDs are looked up one by one; longer lists read their studies' rows.</summary>
    private const int DirectLookupLimit = 16;

    public async Task<IReadOnlyList<StoredInstance>> ResolveAsync(RetrieveSelection selection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selection);
        var queryLevel = selection.Level == QueryLevel.Patient ? QueryLevel.Study : selection.Level;
        var identifier = new DicomDataset();
        identifier.AddOrUpdate(DicomTag.QueryRetrieveLevel, DicomVR.CS, QueryLevels.Term(queryLevel));
        if (selection.PatientId is not null)
        {
            identifier.AddOrUpdate(DicomTag.PatientID, DicomVR.LO, selection.PatientId);
            if (selection.IssuerOfPatientId is not null)
            {
                identifier.AddOrUpdate(DicomTag.IssuerOfPatientID, DicomVR.LO, selection.IssuerOfPatientId);
            }
        }

        AddUids(identifier, DicomTag.StudyInstanceUID, selection.StudyInstanceUids);
        AddUids(identifier, DicomTag.SeriesInstanceUID, selection.SeriesInstanceUids);
        AddUids(identifier, DicomTag.SOPInstanceUID, selection.SopInstanceUids);

        // Study UID -> the series or instances selected in it (null: the whole study), in the order the index gives.
        var studies = new Dictionary<string, HashSet<string>?>(StringComparer.Ordinal);
        var studyOrder = new List<string>();
        var query = new IndexQuery { Level = queryLevel, Identifier = identifier, PatientRoot = selection.Model == QueryRetrieveModel.PatientRoot };
        for (var offset = 0; ; offset += PageSize)
        {
            var page = await index.QueryAsync(query with { Offset = offset, Limit = PageSize }, cancellationToken).ConfigureAwait(false);
            foreach (var match in page.Matches)
            {
                var study = match.GetString(DicomTag.StudyInstanceUID);
                if (string.IsNullOrEmpty(study))
                {
                    continue;
                }

                if (!studies.TryGetValue(study, out var members))
                {
                    members = queryLevel == QueryLevel.Study ? null : new HashSet<string>(StringComparer.Ordinal);
                    studies[study] = members;
                    studyOrder.Add(study);
                }

                members?.Add(match.GetString(queryLevel == QueryLevel.Series ? DicomTag.SeriesInstanceUID : DicomTag.SOPInstanceUID) ?? string.Empty);
            }

            if (page.Matches.Count < PageSize)
            {
                break;
            }
        }

        var result = new List<StoredInstance>();
        if (queryLevel == QueryLevel.Image && studies.Values.Sum(s => s!.Count) <= DirectLookupLimit)
        {
            foreach (var sop in studyOrder.SelectMany(s => studies[s]!))
            {
                if (await index.FindInstanceAsync(sop, cancellationToken).ConfigureAwait(false) is { } instance)
                {
                    result.Add(instance);
                }
            }

            return result;
        }

        foreach (var study in studyOrder)
        {
            var members = studies[study];
            var instances = await index.GetStudyInstancesAsync(study, cancellationToken).ConfigureAwait(false);
            foreach (var instance in instances)
            {
                var key = queryLevel == QueryLevel.Series ? instance.SeriesInstanceUid : instance.SopInstanceUid;
                if (members is null || members.Contains(key))
                {
                    result.Add(instance);
                }
            }
        }

        return result;
    }

    private static void AddUids(DicomDataset identifier, DicomTag tag, IReadOnlyList<string> uids)
    {
        if (uids.Count > 0)
        {
            identifier.AddOrUpdate(tag, DicomVR.UI, [.. uids]);
        }
    }
}
