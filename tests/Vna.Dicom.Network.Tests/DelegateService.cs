namespace Vna.Dicom.Network.Tests;

/// <summary>A service for one SOP class and command, handled by a delegate.</summary>
internal sealed class DelegateService(string sopClassUid, DimseCommandField field, Func<DicomAssociation, DimseMessage, CancellationToken, Task> handle) : IDimseService
{
    public string? SelectTransferSyntax(AssociateRequest request, string abstractSyntax, IReadOnlyList<string> proposed) =>
        abstractSyntax == sopClassUid ? TransferSyntaxes.PreferUncompressed(proposed) : null;

    public bool CanHandle(DimseCommandField commandField, string abstractSyntax) => commandField == field && abstractSyntax == sopClassUid;

    public Task HandleAsync(DicomAssociation association, DimseMessage request, CancellationToken cancellationToken) => handle(association, request, cancellationToken);
}
