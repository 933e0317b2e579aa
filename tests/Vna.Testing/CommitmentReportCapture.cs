using Vna.Dicom;
using Vna.Dicom.Network;

namespace Vna.Testing;

/// <summary>The requester's side of storage commitment: receives N-EVENT-REPORTs (on its own association or as an SCP).</summary>
public sealed class CommitmentReportCapture : IDimseService
{
    private readonly TaskCompletionSource<(ushort EventType, DicomDataset Report, bool OnRequestorsAssociation)> _received = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<(ushort EventType, DicomDataset Report, bool OnRequestorsAssociation)> Received => _received.Task;

    /// <summary>The Storage Commitment Push Model SOP Class (PS3.4 J.3).</summary>
    public const string SopClassUid = "1.2.840.10008.1.20.1";

    public string? SelectTransferSyntax(AssociateRequest request, string abstractSyntax, IReadOnlyList<string> proposed) =>
        abstractSyntax == SopClassUid ? TransferSyntaxes.PreferUncompressed(proposed) : null;

    public RoleSelection? SelectRoles(AssociateRequest request, RoleSelection proposed) => proposed;

    public bool CanHandle(DimseCommandField commandField, string abstractSyntax) => commandField == DimseCommandField.NEventReportRequest;

    public async Task HandleAsync(DicomAssociation association, DimseMessage request, CancellationToken cancellationToken)
    {
        var report = await request.ReadDatasetAsync(cancellationToken);
        await association.SendResponseAsync(request, DimseCommand.ResponseTo(request.Command, DimseStatus.Success), null, cancellationToken);
        _received.TrySetResult((request.Command.EventTypeId ?? 0, report!, association.IsRequestor));
    }
}
