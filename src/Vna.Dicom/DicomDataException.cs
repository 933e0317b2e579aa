namespace Vna.Dicom;

/// <summary>A data set's content is wrong for what was asked of it (a value that does not parse, frames that cannot be found).</summary>
public class DicomDataException : Exception
{
    public DicomDataException()
    {
    }

    public DicomDataException(string message)
        : base(message)
    {
    }

    public DicomDataException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
