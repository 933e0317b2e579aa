namespace Vna.Core;

/// <summary>A transcode failed for this one object (corrupt codestream, header lies, unsupported syntax); the process is fine.</summary>
public sealed class TranscodeException : Exception
{
    public TranscodeException()
    {
    }

    public TranscodeException(string message)
        : base(message)
    {
    }

    public TranscodeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
