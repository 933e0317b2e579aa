using System.Globalization;

namespace Vna.Dicom;

/// <summary>A defect that the reader tolerated (and that strict mode reports as an error).</summary>
public sealed record DicomReadWarning(long Offset, DicomTag? Tag, string Message)
{
    public override string ToString() =>
        Tag is { } t
            ? string.Create(CultureInfo.InvariantCulture, $"{t} at byte {Offset}: {Message}")
            : string.Create(CultureInfo.InvariantCulture, $"at byte {Offset}: {Message}");
}
