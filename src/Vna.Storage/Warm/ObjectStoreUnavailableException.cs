namespace Vna.Storage.Warm;

/// <summary>The object storage could not be reached or failed after its retries; nothing was changed by the failed step.</summary>
public sealed class ObjectStoreUnavailableException : Exception
{
    public ObjectStoreUnavailableException()
    {
    }

    public ObjectStoreUnavailableException(string message)
        : base(message)
    {
    }

    public ObjectStoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
