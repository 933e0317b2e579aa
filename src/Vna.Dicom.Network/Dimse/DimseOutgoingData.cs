namespace Vna.Dicom.Network;

/// <summary>
/// The data set of a DIMSE message being sent, written straight into P-DATA-TF fragments as it is produced: from a stream
/// (an object's bytes from a tier, already in the presentation context's transfer syntax), from bytes, or from a
/// <see cref="DicomDataset"/> encoded in the context's transfer syntax.
/// </summary>
public abstract class DimseOutgoingData
{
    /// <summary>The bytes of <paramref name="stream"/> from its current position to its end (not disposed).</summary>
    public static DimseOutgoingData FromStream(Stream stream) => new StreamData(stream);

    public static DimseOutgoingData FromBytes(ReadOnlyMemory<byte> bytes) => new BytesData(bytes);

    /// <summary><paramref name="dataset"/> encoded in the transfer syntax of the presentation context it is sent on.</summary>
    public static DimseOutgoingData FromDataset(DicomDataset dataset) => new DatasetData(dataset);

    /// <summary>Writes the data set into <paramref name="destination"/> in <paramref name="transferSyntax"/>.</summary>
    public abstract Task WriteToAsync(Stream destination, DicomTransferSyntax transferSyntax, CancellationToken cancellationToken);

    private sealed class StreamData(Stream stream) : DimseOutgoingData
    {
        public override Task WriteToAsync(Stream destination, DicomTransferSyntax transferSyntax, CancellationToken cancellationToken) =>
            stream.CopyToAsync(destination, 256 * 1024, cancellationToken);
    }

    private sealed class BytesData(ReadOnlyMemory<byte> bytes) : DimseOutgoingData
    {
        public override Task WriteToAsync(Stream destination, DicomTransferSyntax transferSyntax, CancellationToken cancellationToken) =>
            destination.WriteAsync(bytes, cancellationToken).AsTask();
    }

    private sealed class DatasetData(DicomDataset dataset) : DimseOutgoingData
    {
        public override Task WriteToAsync(Stream destination, DicomTransferSyntax transferSyntax, CancellationToken cancellationToken) =>
            DicomWriter.WriteDatasetAsync(destination, dataset, transferSyntax, null, cancellationToken);
    }
}
