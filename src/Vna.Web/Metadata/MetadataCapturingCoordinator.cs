using Microsoft.Extensions.Logging;
using Vna.Core;

namespace Vna.Web.Metadata;

/// <summary>
/// Wraps the archive's <see cref="IStudyCoordinator"/> so that every instance registered (by STOW-RS, C-STORE or import)
/// has its DICOMweb metadata aggregated while the object is still on the hot tier. An instance that comes with its
/// <see cref="StoredInstance.Document"/> (the Store feature made it from the data set it parsed, see
/// <see cref="DicomWebDocumentBuilder"/>) was indexed with it in one transaction and needs nothing here; for any other,
/// one header read (no pixels) and one batched insert. A failure here never fails the store: the metadata is then made
/// when it is first asked for.
/// </summary>
internal sealed partial class MetadataCapturingCoordinator(
    IStudyCoordinator inner,
    IInstanceContentSource contentSource,
    IInstanceMetadataStore metadataStore,
    ILogger<MetadataCapturingCoordinator> logger) : IStudyCoordinator
{
    public async Task<IReadOnlyList<RegistrationResult>> RegisterAsync(string studyInstanceUid, IReadOnlyList<StoredInstance> instances, CancellationToken cancellationToken)
    {
        var results = await inner.RegisterAsync(studyInstanceUid, instances, cancellationToken).ConfigureAwait(false);
        var rows = new List<InstanceMetadata>(instances.Count);
        try
        {
            for (var i = 0; i < results.Count && i < instances.Count; i++)
            {
                if (results[i].Outcome is (RegistrationOutcome.Registered or RegistrationOutcome.Replaced) && instances[i].Document is null)
                {
                    rows.Add(await InstanceMetadataBuilder.BuildAsync(contentSource, instances[i], TimeSpan.Zero, cancellationToken).ConfigureAwait(false));
                }
            }

            if (rows.Count > 0)
            {
                await metadataStore.UpsertAsync(rows, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            LogCaptureFailed(ex.GetType().Name);
        }

        return results;
    }

    public Task<StudySummary?> GetStudyAsync(string studyInstanceUid, CancellationToken cancellationToken) =>
        inner.GetStudyAsync(studyInstanceUid, cancellationToken);

    [LoggerMessage(1, LogLevel.Warning, "DICOMweb metadata of a registered instance could not be aggregated at ingest ({ExceptionType}); it will be made on first request.")]
    private partial void LogCaptureFailed(string exceptionType);
}
