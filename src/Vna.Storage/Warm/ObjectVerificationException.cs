namespace Vna.Storage.Warm;

/// <summary>An object at the destination is not what was sent (size or checksum differ): the copy must not be trusted.</summary>
public sealed class ObjectVerificationException : Exception
{
    public ObjectVerificationException()
    {
    }

    public ObjectVerificationException(string message)
        : base(message)
    {
    }

    public ObjectVerificationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
