using System.Collections.Concurrent;
using Vna.Dicom;
using Vna.Dicom.Network;

namespace Vna.Dimse.QueryRetrieve.Tests.Dimse;

/// <summary>A Storage SCP of the toolkit that keeps each received data set's bytes (a C-MOVE destination in this process).</summary>
internal sealed class StorageCapture : IDimseService
{
    public ConcurrentDictionary<string, (string TransferSyntax, byte[] Dataset, string? MoveOriginator)> Received { get; } = new();

    /// <summary>The transfer syntaxes this destination accepts (default: every known one, as proposed).</summary>
    public IReadOnlyList<string>? Accepts { get; init; }

    public string? SelectTransferSyntax(AssociateRequest request, string abstractSyntax, IReadOnlyList<string> proposed) =>
        proposed.FirstOrDefault(p => Accepts is null ? DicomTransferSyntax.Parse(p).IsKnown : Accepts.Contains(p));

    public bool CanHandle(DimseCommandField commandField, string abstractSyntax) => commandField == DimseCommandField.CStoreRequest;

    public async Task HandleAsync(DicomAssociation association, DimseMessage request, CancellationToken cancellationToken)
    {
        using var copy = new MemoryStream();
        await request.Data!.CopyToAsync(copy, cancellationToken);
        Received[request.Command.AffectedSopInstanceUid!] = (request.PresentationContext.TransferSyntax!, copy.ToArray(), request.Command.MoveOriginatorAeTitle);
        await association.SendResponseAsync(request, DimseCommand.ResponseTo(request.Command, DimseStatus.Success), null, cancellationToken);
    }
}
