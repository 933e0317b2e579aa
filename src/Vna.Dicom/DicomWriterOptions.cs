using System.IO.Compression;

namespace Vna.Dicom;

/// <summary>How <see cref="DicomWriter"/> encodes.</summary>
public sealed record DicomWriterOptions
{
    /// <summary>The smallest accepted <see cref="BufferSize"/>.</summary>
    public const int MinimumBufferSize = 1024;

    public static DicomWriterOptions Default { get; } = new();

    /// <summary>
    /// Undefined (the default): sequences and their items are written with undefined length and closed by delimitation
    /// items. Defined: explicit lengths, computed from the encoded sizes before writing.
    /// </summary>
    public DicomWriterSequenceLength SequenceLength { get; init; } = DicomWriterSequenceLength.Undefined;

    /// <summary>
    /// False (the default): group length elements (gggg,0000) of the data set are dropped, as DCMTK's
    /// <c>--group-length-remove</c> does. True: they are kept and their values recomputed. The File Meta Information
    /// group length and the command group length (0000,0000) are always written and recomputed.
    /// </summary>
    public bool KeepGroupLengths { get; init; }

    /// <summary>
    /// False (the default): (0002,0012) Implementation Class UID and (0002,0013) Implementation Version Name are Vna's own.
    /// True: the source file's values are kept when its File Meta Information has them.
    /// </summary>
    public bool KeepSourceImplementation { get; init; }

    /// <summary>Size in bytes of the output buffer (flushed to the stream whenever it fills). At least <see cref="MinimumBufferSize"/>.</summary>
    public int BufferSize { get; init; } = 64 * 1024;

    /// <summary>Compression level of deflated transfer syntaxes.</summary>
    public CompressionLevel DeflateLevel { get; init; } = CompressionLevel.Optimal;
}
