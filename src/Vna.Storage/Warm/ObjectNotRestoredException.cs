namespace Vna.Storage.Warm;

/// <summary>The object is in an archive storage class and must be restored before it can be read (S3 InvalidObjectState).</summary>
public sealed class ObjectNotRestoredException : Exception
{
    public ObjectNotRestoredException()
    {
    }

    public ObjectNotRestoredException(string message)
        : base(message)
    {
    }

    public ObjectNotRestoredException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
