namespace Vna.Dicom;

/// <summary>
/// A DICOM JSON Model document (PS3.18 Annex F) that cannot be read: not JSON, not an object where one is needed, a bad
/// attribute key, an unknown VR, a "Value" of the wrong type, invalid base64. <see cref="Path"/> locates the problem
/// (<c>$.00081115.Value[0].00081150.vr</c>) and <see cref="Key"/> names the innermost attribute.
/// </summary>
public class DicomJsonException : DicomDataException
{
    public DicomJsonException()
    {
    }

    public DicomJsonException(string message)
        : base(message)
    {
    }

    public DicomJsonException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public DicomJsonException(string message, string? path, string? key)
        : base(Compose(message, path, key))
    {
        Path = path;
        Key = key;
    }

    public DicomJsonException(string message, string? path, string? key, Exception innerException)
        : base(Compose(message, path, key), innerException)
    {
        Path = path;
        Key = key;
    }

    /// <summary>Where in the document the problem is, as a JSON path from the root (<c>$</c>); null when not known.</summary>
    public string? Path { get; }

    /// <summary>The 8-digit key of the innermost attribute involved, or null (a problem with the document itself).</summary>
    public string? Key { get; }

    private static string Compose(string message, string? path, string? key)
    {
        if (path is null)
        {
            return message;
        }

        return key is null ? $"{message} (at {path})" : $"{message} (attribute {key}, at {path})";
    }
}
