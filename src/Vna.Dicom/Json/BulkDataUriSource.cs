namespace Vna.Dicom;

/// <summary>
/// Stands for a value that a DICOM JSON document gave only as a BulkDataURI and that was not retrieved (no
/// <see cref="DicomJsonReaderOptions.BulkDataResolver"/>, or it returned null). Elements read that way hold a
/// zero-length <see cref="BulkDataReference"/> to this source; <see cref="OpenRead"/> fails with a message naming the URI.
/// </summary>
public sealed class BulkDataUriSource : IBulkDataSource
{
    public BulkDataUriSource(string uri)
    {
        ArgumentException.ThrowIfNullOrEmpty(uri);
        Uri = uri;
    }

    /// <summary>The BulkDataURI as the document gave it.</summary>
    public string Uri { get; }

    public string Name => Uri;

    public Stream OpenRead() => throw new InvalidOperationException(
        $"The value at BulkDataURI '{Uri}' was not retrieved when the DICOM JSON was read; "
        + "give DicomJsonReaderOptions.BulkDataResolver to resolve BulkDataURIs.");

    public override string ToString() => Uri;
}
