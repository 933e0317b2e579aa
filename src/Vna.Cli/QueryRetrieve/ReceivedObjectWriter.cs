using Vna.Dicom;
using Vna.Dicom.Network;

namespace Vna.Cli.QueryRetrieve;

/// <summary>The storage SCP role of <c>vna get</c>: each object received is written as a Part 10 file named after its SOP Instance UID.</summary>
internal sealed class ReceivedObjectWriter(string folder) : IDimseService
{
    private int _received;

    public int Received => _received;

    public string? SelectTransferSyntax(AssociateRequest request, string abstractSyntax, IReadOnlyList<string> proposed) => null;

    public bool CanHandle(DimseCommandField commandField, string abstractSyntax) => commandField == DimseCommandField.CStoreRequest;

    public async Task HandleAsync(DicomAssociation association, DimseMessage request, CancellationToken cancellationToken)
    {
        var sopClass = request.Command.AffectedSopClassUid ?? string.Empty;
        var sop = request.Command.AffectedSopInstanceUid ?? Guid.NewGuid().ToString("N");
        var syntax = request.TransferSyntax;
        var identifiers = new DicomDataset();
        identifiers.AddOrUpdate(DicomTag.SOPClassUID, DicomVR.UI, sopClass);
        identifiers.AddOrUpdate(DicomTag.SOPInstanceUID, DicomVR.UI, sop);
        var meta = DicomWriter.CreateFileMetaInformation(identifiers, syntax, association.CalledAeTitle.Trim());

        // Preamble and meta group only (nothing after them, even in a deflated syntax), then the data set's bytes exactly as
        // received.
        var path = Path.Combine(folder, SafeName(sop) + ".dcm");
        var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous);
        await using (file.ConfigureAwait(false))
        {
            await DicomWriter.WriteFileHeaderAsync(file, meta, syntax, null, cancellationToken).ConfigureAwait(false);
            await request.Data!.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
        }

        Interlocked.Increment(ref _received);
        await association.SendResponseAsync(request, DimseCommand.ResponseTo(request.Command, DimseStatus.Success), null, cancellationToken).ConfigureAwait(false);
    }

    private static string SafeName(string uid) => new([.. uid.Where(c => char.IsAsciiDigit(c) || c == '.')]);
}
