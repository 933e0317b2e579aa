using System.Text.Encodings.Web;
using System.Text.Json;
using Vna.Dicom;

namespace Vna.Cli.Dump;

/// <summary>
/// One JSON object per file, on one line:
/// <c>{"path", "transferSyntax", "meta": DICOM JSON, "dataset": DICOM JSON, "warnings": [...]}</c> (plus <c>"partial": true</c>
/// when reading stopped at Pixel Data), or <c>{"path", "error", "offset", "tag"}</c> for a file that could not be read.
/// Values kept by reference in the file are written as <c>BulkDataURI</c> <c>file:///abs/path?offset=N&amp;length=M</c>
/// (see src/Vna.Cli/README.md); values held in memory as <c>InlineBinary</c>.
/// </summary>
internal sealed class JsonDumper : IFileDumper
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    private static readonly DicomJsonWriterOptions DicomOptions = new()
    {
        BulkDataUriFactory = BulkDataUris.ForItem,
    };

    public void WriteFile(Stream output, string path, DicomFile file)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(file);
        using (var writer = new Utf8JsonWriter(output, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("path", path);
            writer.WriteString("transferSyntax", file.TransferSyntax.Uid);
            if (file.IsPartial)
            {
                writer.WriteBoolean("partial", true);
            }

            writer.WritePropertyName("meta");
            DicomJson.Write(writer, file.FileMetaInformation, DicomOptions);
            writer.WritePropertyName("dataset");
            DicomJson.Write(writer, file.Dataset, DicomOptions);
            writer.WriteStartArray("warnings");
            foreach (var warning in file.Warnings)
            {
                writer.WriteStringValue(warning.ToString());
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        output.WriteByte((byte)'\n');
    }

    public void WriteError(Stream output, string path, Exception error)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        using (var writer = new Utf8JsonWriter(output, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("path", path);
            writer.WriteString("error", DumpErrors.Describe(error));
            if (error is DicomReadException read)
            {
                writer.WriteNumber("offset", read.Offset);
                if (read.Tag is { } tag)
                {
                    writer.WriteString("tag", tag.ToJsonKey());
                }
            }

            writer.WriteEndObject();
        }

        output.WriteByte((byte)'\n');
    }
}
