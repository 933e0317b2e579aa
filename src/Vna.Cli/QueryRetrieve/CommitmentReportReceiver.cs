using Vna.Dicom;
using Vna.Dicom.Network;

namespace Vna.Cli.QueryRetrieve;

/// <summary>Receives the storage commitment N-EVENT-REPORT on <c>vna commit</c>'s association.</summary>
internal sealed class CommitmentReportReceiver : IDimseService
{
    private readonly TaskCompletionSource<(IReadOnlyList<string> Committed, IReadOnlyList<(string Sop, ushort Reason)> Failed)> _report =
        new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<(IReadOnlyList<string> Committed, IReadOnlyList<(string Sop, ushort Reason)> Failed)> Report => _report.Task;

    public string? SelectTransferSyntax(AssociateRequest request, string abstractSyntax, IReadOnlyList<string> proposed) => null;

    public bool CanHandle(DimseCommandField commandField, string abstractSyntax) => commandField == DimseCommandField.NEventReportRequest;

    public async Task HandleAsync(DicomAssociation association, DimseMessage request, CancellationToken cancellationToken)
    {
        var report = await request.ReadDatasetAsync(cancellationToken).ConfigureAwait(false) ?? new DicomDataset();
        await association.SendResponseAsync(request, DimseCommand.ResponseTo(request.Command, DimseStatus.Success), null, cancellationToken).ConfigureAwait(false);
        var committed = report.GetSequence(DicomTag.ReferencedSOPSequence)?.Items.Select(i => i.GetString(DicomTag.ReferencedSOPInstanceUID) ?? string.Empty).ToList() ?? [];
        var failed = report.GetSequence(DicomTag.FailedSOPSequence)?.Items
            .Select(i => (i.GetString(DicomTag.ReferencedSOPInstanceUID) ?? string.Empty, i.GetValue<ushort>(DicomTag.FailureReason) ?? 0)).ToList() ?? [];
        _report.TrySetResult((committed, failed));
    }
}
