using Vna.Dicom;

namespace Vna.Cli.Dump;

/// <summary>Renders one file's dump (or its failure) to a stream; one instance per output format.</summary>
internal interface IFileDumper
{
    /// <summary>Writes the dump of a file read successfully.</summary>
    void WriteFile(Stream output, string path, DicomFile file);

    /// <summary>Writes the report of a file that could not be read.</summary>
    void WriteError(Stream output, string path, Exception error);
}
