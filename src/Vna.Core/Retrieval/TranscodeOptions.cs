namespace Vna.Core;

/// <summary>Settings of one transcode.</summary>
public sealed record TranscodeOptions
{
    /// <summary>Quality for lossy syntaxes (codec-specific scale, e.g. JPEG 1–100, J2K/HTJ2K compression ratio); null for the codec's default.</summary>
    public double? Quality { get; init; }

    /// <summary>Give a lossy result a new SOP Instance UID (PS3.3 C.7.6.1.1.5). Default true.</summary>
    public bool NewSopInstanceUidWhenLossy { get; init; } = true;
}
