using Microsoft.AspNetCore.Http;
using Vna.Core;
using Vna.Dicom;
using Vna.Web.Access;
using Vna.Web.Http;

namespace Vna.Web.Wado;

/// <summary>
/// Finds the instances a retrieval path names (study, series of a study, one instance) in the index, in series then
/// registration order, keeping those the caller's departments may read. Problems: 400 for a malformed UID, 404 for what
/// the archive does not hold, 403 when the caller may read none of it.
/// </summary>
internal static class InstanceResolver
{
    public static async Task<(IReadOnlyList<StoredInstance>? Instances, IResult? Problem)> ResolveAsync(
        HttpContext context, string study, string? series, string? sop, CancellationToken cancellationToken)
    {
        if (!DicomUid.IsValid(study) || (series is not null && !DicomUid.IsValid(series)) || (sop is not null && !DicomUid.IsValid(sop)))
        {
            return (null, Problems.BadRequest("A UID in the path is not a valid UID."));
        }

        var index = context.RequestServices.GetRequiredService<IIndexStore>();
        IReadOnlyList<StoredInstance> found;
        if (sop is not null)
        {
            var instance = await index.FindInstanceAsync(sop, cancellationToken).ConfigureAwait(false);
            found = instance is not null && instance.StudyInstanceUid == study && (series is null || instance.SeriesInstanceUid == series)
                ? [instance]
                : [];
        }
        else
        {
            var all = await index.GetStudyInstancesAsync(study, cancellationToken).ConfigureAwait(false);
            found = series is null ? all : all.Where(i => i.SeriesInstanceUid == series).ToArray();
        }

        if (found.Count == 0)
        {
            var what = sop is not null ? "instance" : series is not null ? "series" : "study";
            return (null, Problems.NotFound($"The archive holds no such {what}."));
        }

        var caller = AccessFilter.GetCaller(context);
        if (caller.SeesAllDepartments)
        {
            return (found, null);
        }

        var readable = found.Where(i => caller.MayRead(i.SourceDepartment)).ToArray();
        return readable.Length == 0
            ? (null, Problems.Forbidden("The caller's departments may not read this data."))
            : (readable, null);
    }
}
