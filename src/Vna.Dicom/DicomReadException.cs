using System.Globalization;

namespace Vna.Dicom;

/// <summary>
/// Input that cannot be parsed: truncation, a length past the end, a structure that makes no sense. Carries the byte offset
/// (from the start of the stream) and the tag being read, when known. The one exception type the reader throws for bad input.
/// </summary>
public sealed class DicomReadException : DicomDataException
{
    public DicomReadException()
    {
    }

    public DicomReadException(string message)
        : base(message)
    {
    }

    public DicomReadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public DicomReadException(string message, long offset, DicomTag? tag, Exception? innerException = null)
        : base(Format(message, offset, tag), innerException ?? new InvalidDataException(message))
    {
        Offset = offset;
        Tag = tag;
        Reason = message;
    }

    /// <summary>Byte offset in the stream where the problem was found.</summary>
    public long Offset { get; }

    /// <summary>The element being read, when known.</summary>
    public DicomTag? Tag { get; }

    /// <summary>The message without the offset and tag.</summary>
    public string Reason { get; } = string.Empty;

    private static string Format(string message, long offset, DicomTag? tag) =>
        tag is { } t
            ? string.Create(CultureInfo.InvariantCulture, $"{message} (element {t}, at byte {offset})")
            : string.Create(CultureInfo.InvariantCulture, $"{message} (at byte {offset})");
}
