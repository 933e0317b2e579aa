namespace Vna.Dicom;

/// <summary>A value that breaks the rules of its VR (PS3.5 6.2), found by <see cref="DicomValueValidator"/>.</summary>
public sealed record DicomValidationIssue(DicomTag Tag, DicomVR VR, int ValueIndex, string Message)
{
    public override string ToString() => $"{Tag} {VR.Code()} value {ValueIndex + 1}: {Message}";
}
