namespace Vna.Dicom;

/// <summary>How <see cref="DicomReader"/> reads.</summary>
public sealed record DicomReaderOptions
{
    public static DicomReaderOptions Default { get; } = new();

    /// <summary>
    /// Binary values (OB, OW, OF, OD, OL, OV, UN) and pixel data fragments at least this long are kept by reference
    /// instead of in memory. 0 keeps every such value by reference; <see cref="int.MaxValue"/> keeps all in memory.
    /// </summary>
    public int BulkDataThreshold { get; init; } = 64 * 1024;

    /// <summary>
    /// Report tolerated defects as <see cref="DicomReadException"/> instead of warnings (odd lengths, VRs that disagree with
    /// the dictionary, missing meta elements, undefined-length UN).
    /// </summary>
    public bool Strict { get; init; }

    /// <summary>Stop before the first top-level element whose tag is at least this one (e.g. Pixel Data for a header-only read).</summary>
    public DicomTag? StopAtTag { get; init; }

    /// <summary>
    /// Where to spool bulk data read from a stream that cannot seek (network, deflated data sets). Null: the system temp folder.
    /// </summary>
    public string? SpoolDirectory { get; init; }

    /// <summary>Upper bound for a single value held in memory when its length is not yet proven by the data (guards against a 3 GB length in a 1 KB stream).</summary>
    public int MaxInMemoryValueLength { get; init; } = 256 * 1024 * 1024;

    /// <summary>Maximum nesting of sequences (protects the stack from hostile input).</summary>
    public int MaxSequenceDepth { get; init; } = 64;
}
