using Vna.Dicom;

namespace Vna.Cli.Dump;

/// <summary>How a failure to read a file is reported.</summary>
internal static class DumpErrors
{
    /// <summary>The message for one failed file: the reader's (with offset and tag), or the I/O error.</summary>
    public static string Describe(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error switch
        {
            DicomReadException read => read.Message,
            FileNotFoundException or DirectoryNotFoundException => "No such file or directory.",
            DicomDataException or IOException or UnauthorizedAccessException => error.Message,
            _ => $"{error.GetType().Name}: {error.Message}",
        };
    }
}
