namespace Vna.Dicom.Network;

/// <summary>The Verification SOP Class (C-ECHO, PS3.4 Annex A) as SCP: answers every C-ECHO with success.</summary>
public sealed class VerificationService : IDimseService
{
    public const string SopClassUid = "1.2.840.10008.1.1";

    public string? SelectTransferSyntax(AssociateRequest request, string abstractSyntax, IReadOnlyList<string> proposed)
    {
        ArgumentNullException.ThrowIfNull(proposed);
        return string.Equals(abstractSyntax, SopClassUid, StringComparison.Ordinal) ? TransferSyntaxes.PreferUncompressed(proposed) : null;
    }

    public bool CanHandle(DimseCommandField commandField, string abstractSyntax) =>
        commandField == DimseCommandField.CEchoRequest && string.Equals(abstractSyntax, SopClassUid, StringComparison.Ordinal);

    public Task HandleAsync(DicomAssociation association, DimseMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(association);
        ArgumentNullException.ThrowIfNull(request);
        return association.SendResponseAsync(request, DimseCommand.ResponseTo(request.Command, DimseStatus.Success), null, cancellationToken);
    }
}
