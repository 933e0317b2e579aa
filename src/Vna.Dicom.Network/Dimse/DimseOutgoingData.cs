namespace Vna.Dicom.Network;

/// <summary>
/// The data set of a DIMSE message being sent, written straight into P-DATA-TF fragments as it is produced: from a stream
/// (an object's bytes from a tier, already in the presentation context's transfer syntax), from bytes, or from a
/// <see cref="DicomDataset"/> encoded in the context's transfer syntax.
/// </summary>
public abstract class DimseOutgoingData
{
    /// <summary>
    /// The bytes of <paramref name="stream"/> from its current position to its end (not disposed). With
    /// <paramref name="padToEvenLength"/>, an odd number of bytes is followed by one 00H byte: a deflated data set whose
    /// bitstream has an odd length is sent padded as PS3.5 A.5 requires (peers such as DCMTK refuse odd fragments).
    /// </summary>
    public static DimseOutgoingData FromStream(Stream stream, bool padToEvenLength = false) => new StreamData(stream, padToEvenLength);

    public static DimseOutgoingData FromBytes(ReadOnlyMemory<byte> bytes) => new BytesData(bytes);

    /// <summary><paramref name="dataset"/> encoded in the transfer syntax of the presentation context it is sent on.</summary>
    public static DimseOutgoingData FromDataset(DicomDataset dataset) => new DatasetData(dataset);

    /// <summary>Writes the data set into <paramref name="destination"/> in <paramref name="transferSyntax"/>.</summary>
    public abstract Task WriteToAsync(Stream destination, DicomTransferSyntax transferSyntax, CancellationToken cancellationToken);

    private sealed class StreamData(Stream stream, bool padToEvenLength) : DimseOutgoingData
    {
        public override async Task WriteToAsync(Stream destination, DicomTransferSyntax transferSyntax, CancellationToken cancellationToken)
        {
            if (!padToEvenLength)
            {
                await stream.CopyToAsync(destination, 256 * 1024, cancellationToken).ConfigureAwait(false);
                return;
            }

            var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(256 * 1024);
            try
            {
                long total = 0;
                int read;
                while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    total += read;
                }

                if (total % 2 == 1)
                {
                    buffer[0] = 0;
                    await destination.WriteAsync(buffer.AsMemory(0, 1), cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            }
        }
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
