namespace Vna.Storage.Cold;

/// <summary>A cold bundle is truncated, not a bundle, or an entry does not match its checksum.</summary>
public sealed class BundleCorruptException : Exception
{
    public BundleCorruptException()
    {
    }

    public BundleCorruptException(string message)
        : base(message)
    {
    }

    public BundleCorruptException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
