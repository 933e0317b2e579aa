namespace Vna.Dicom;

/// <summary>One item of encapsulated pixel data: bytes in memory or a reference to them.</summary>
public sealed class DicomFragment
{
    public DicomFragment(ReadOnlyMemory<byte> value) => InlineValue = value;

    public DicomFragment(BulkDataReference bulkData)
    {
        ArgumentNullException.ThrowIfNull(bulkData);
        BulkData = bulkData;
    }

    public ReadOnlyMemory<byte> InlineValue { get; }

    public BulkDataReference? BulkData { get; }

    public long Length => BulkData?.Length ?? InlineValue.Length;

    public async ValueTask<ReadOnlyMemory<byte>> GetValueAsync(CancellationToken cancellationToken = default) =>
        BulkData is null ? InlineValue : await BulkData.ReadAllBytesAsync(cancellationToken).ConfigureAwait(false);

    public Stream OpenRead() => BulkData?.OpenRead() ?? new MemoryStream(InlineValue.ToArray(), writable: false);
}
