namespace Vna.Dicom;

/// <summary>How <see cref="DicomWriter"/> encodes the length of sequences and of their items (PS3.5 7.5).</summary>
public enum DicomWriterSequenceLength
{
    /// <summary>Undefined length (0xFFFFFFFF), closed by Item Delimitation and Sequence Delimitation items.</summary>
    Undefined = 0,

    /// <summary>Explicit lengths, computed from the encoded sizes before writing.</summary>
    Defined = 1,
}
