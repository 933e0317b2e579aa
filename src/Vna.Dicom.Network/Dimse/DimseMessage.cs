namespace Vna.Dicom.Network;

/// <summary>
/// A DIMSE message received: its command set, the presentation context it came on and, when a data set follows, the data.
/// For a request, <see cref="Data"/> streams the data set from the network as it arrives (read it once, before answering;
/// it is never held whole in memory). For a response, the data set has already been read and is buffered (identifiers and
/// event replies are small; bounded by <see cref="DicomAssociationOptions.MaxResponseDataLength"/>).
/// </summary>
public sealed class DimseMessage
{
    public DimseMessage(DimseCommand command, PresentationContextAnswer presentationContext, Stream? data)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(presentationContext);
        Command = command;
        PresentationContext = presentationContext;
        Data = data;
    }

    public DimseCommand Command { get; }

    public PresentationContextAnswer PresentationContext { get; }

    public byte PresentationContextId => PresentationContext.Id;

    /// <summary>The transfer syntax of the data set (the one accepted for the presentation context).</summary>
    public DicomTransferSyntax TransferSyntax => DicomTransferSyntax.Parse(PresentationContext.TransferSyntax ?? DicomTransferSyntax.ImplicitVRLittleEndian.Uid);

    /// <summary>The data set's bytes (null when the command announces none).</summary>
    public Stream? Data { get; }

    /// <summary>Parses the data set (for small ones: identifiers, N-ACTION/N-EVENT-REPORT information). Null when there is none.</summary>
    public async Task<DicomDataset?> ReadDatasetAsync(CancellationToken cancellationToken)
    {
        if (Data is null)
        {
            return null;
        }

        using var file = await DicomReader.ReadDatasetAsync(Data, TransferSyntax, new DicomReaderOptions { BulkDataThreshold = int.MaxValue }, null, cancellationToken)
            .ConfigureAwait(false);
        return file.Dataset.Clone();
    }

    public override string ToString() => $"{Command} on context {PresentationContextId}";
}
