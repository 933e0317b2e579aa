namespace Vna.Core;

/// <summary>What a transcode produced.</summary>
/// <param name="TransferSyntaxUid">The transfer syntax written.</param>
/// <param name="SopInstanceUid">The SOP Instance UID written (new when a lossy copy replaces an original and options say so).</param>
/// <param name="Lossy">True when the pixels went through a lossy step.</param>
/// <param name="BytesWritten">Size of the object written.</param>
public sealed record TranscodeResult(string TransferSyntaxUid, string SopInstanceUid, bool Lossy, long BytesWritten);
