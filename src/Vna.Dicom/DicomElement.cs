namespace Vna.Dicom;

/// <summary>
/// An element with a value: either in memory (<see cref="InlineValue"/>, always little endian for binary numbers,
/// text as encoded in the data set's character set) or kept by reference (<see cref="BulkData"/>).
/// </summary>
public sealed class DicomElement : DicomItem
{
    public DicomElement(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> value)
        : base(tag, vr)
    {
        InlineValue = value;
    }

    public DicomElement(DicomTag tag, DicomVR vr, BulkDataReference bulkData)
        : base(tag, vr)
    {
        ArgumentNullException.ThrowIfNull(bulkData);
        BulkData = bulkData;
    }

    /// <summary>The value bytes when held in memory; empty when the value is bulk data.</summary>
    public ReadOnlyMemory<byte> InlineValue { get; }

    public BulkDataReference? BulkData { get; }

    public bool IsBulkData => BulkData is not null;

    /// <summary>Length of the value in bytes (as stored: an odd length read tolerantly stays odd).</summary>
    public long Length => BulkData?.Length ?? InlineValue.Length;

    /// <summary>The value in memory, loading bulk data when needed.</summary>
    public async ValueTask<ReadOnlyMemory<byte>> GetValueAsync(CancellationToken cancellationToken = default) =>
        BulkData is null ? InlineValue : await BulkData.ReadAllBytesAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>The value in memory; bulk data is read synchronously (use <see cref="GetValueAsync"/> on I/O paths).</summary>
    public ReadOnlyMemory<byte> GetValue()
    {
        if (BulkData is null)
        {
            return InlineValue;
        }

        using var stream = BulkData.OpenRead();
        var buffer = new byte[BulkData.Length];
        stream.ReadExactly(buffer);
        return buffer;
    }

    /// <summary>A stream over the value (little endian), for values too large to hold in memory.</summary>
    public Stream OpenRead() => BulkData?.OpenRead() ?? new MemoryStream(InlineValue.ToArray(), writable: false);

    public override string ToString() => $"{Tag} {VR.Code()} #{Length}";
}
