using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Vna.Dicom;

/// <summary>
/// The DICOM JSON Model (PS3.18 Annex F), as QIDO-RS and WADO-RS metadata responses use it: a data set is a JSON object
/// whose keys are tags as 8 upper-case hex digits, in tag order, each attribute an object of "vr" and at most one of
/// "Value", "InlineBinary" and "BulkDataURI".
/// </summary>
/// <remarks>
/// <para>Writing: text is decoded with the data set's Specific Character Set and written as UTF-8 JSON strings; several values
/// are array entries (an empty one is null, an attribute without value has no "Value"); PN values are objects of their
/// non-empty component groups; AT values are "GGGGEEEE" strings; sequences are arrays of objects; OB, OD, OF, OL, OV, OW and
/// UN values are base64 "InlineBinary" unless <see cref="DicomJsonWriterOptions.BulkDataUriFactory"/> gives a URI.</para>
/// <para>Choices where the standard leaves room or JSON cannot express a value:</para>
/// <list type="bullet">
/// <item>IS and DS are JSON numbers written from the original text, normalised to JSON's grammar ("+1.5" → 1.5, ".5" → 0.5,
/// "1." → 1, "007" → 7), so no precision is lost. A value that is not a number at all (real files contain "1A") is written as a
/// JSON string, which F.2.3 allows for IS and DS to preserve the original; the reader keeps strings and number literals as
/// the value's text (a DS literal longer than 16 characters is rounded to fit).</item>
/// <item>SV and UV are JSON numbers up to ±(2^53 − 1) and decimal strings beyond, where JavaScript numbers lose precision
/// (F.2.3 allows "Number or String" for both); the reader takes either.</item>
/// <item>FL and FD NaN, +∞ and −∞, which JSON numbers cannot express, are the strings "NaN", "Infinity" and "-Infinity";
/// the reader takes them back.</item>
/// <item>Encapsulated pixel data (<see cref="DicomFragmentSequence"/>) is bulk data: a BulkDataURI when the factory gives one,
/// otherwise "InlineBinary" of the encapsulated value field as in a file (the Basic Offset Table item and the fragment items
/// with their 8-byte headers, without the sequence delimiter). The reader turns an InlineBinary of Pixel Data (7FE0,0010)
/// that parses exactly as such items back into a <see cref="DicomFragmentSequence"/>.</item>
/// <item>A BulkDataURI read without a resolver becomes an empty element referring to a <see cref="BulkDataUriSource"/>;
/// <see cref="GetBulkDataUri"/> gives the URI back and writing the data set again writes it.</item>
/// <item>Reading: a data set whose text is not all ASCII gets (0008,0005) "ISO_IR 192" unless the document gives a Specific
/// Character Set that can encode its text, which is then kept (F.2.2 note 3: it describes the source encoding).</item>
/// </list>
/// <para>Any problem with the input is a <see cref="DicomJsonException"/> naming the attribute key and the JSON path.</para>
/// </remarks>
public static class DicomJson
{
    /// <summary>Writes one data set as a DICOM JSON object. Values held by reference are read synchronously.</summary>
    public static void Write(Utf8JsonWriter writer, DicomDataset dataset, DicomJsonWriterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(dataset);
        new DicomJsonDatasetWriter(options ?? DicomJsonWriterOptions.Default).WriteDataset(writer, dataset);
    }

    /// <summary>The data set as a DICOM JSON object in a string.</summary>
    public static string Serialize(DicomDataset dataset, DicomJsonWriterOptions? options = null) =>
        Encoding.UTF8.GetString(SerializeToUtf8Bytes(dataset, options));

    /// <summary>The data set as a DICOM JSON object, UTF-8 encoded.</summary>
    public static byte[] SerializeToUtf8Bytes(DicomDataset dataset, DicomJsonWriterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        options ??= DicomJsonWriterOptions.Default;
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, CreateWriterOptions(options)))
        {
            Write(writer, dataset, options);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes one data set as a DICOM JSON object to a stream (values held by reference are read asynchronously).</summary>
    public static async Task WriteAsync(Stream stream, DicomDataset dataset, DicomJsonWriterOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(dataset);
        options ??= DicomJsonWriterOptions.Default;
        var writer = new Utf8JsonWriter(stream, CreateWriterOptions(options));
        await using (writer.ConfigureAwait(false))
        {
            var datasetWriter = new DicomJsonDatasetWriter(options);
            await datasetWriter.PreloadAsync(dataset, cancellationToken).ConfigureAwait(false);
            datasetWriter.WriteDataset(writer, dataset);
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Writes a JSON array of DICOM JSON objects (a QIDO-RS or metadata response). Values held by reference are read
    /// asynchronously, one data set at a time; the output is flushed to the stream as it grows.
    /// </summary>
    public static async Task WriteArrayAsync(Stream stream, IEnumerable<DicomDataset> datasets, DicomJsonWriterOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(datasets);
        options ??= DicomJsonWriterOptions.Default;
        var writer = new Utf8JsonWriter(stream, CreateWriterOptions(options));
        await using (writer.ConfigureAwait(false))
        {
            writer.WriteStartArray();
            foreach (var dataset in datasets)
            {
                cancellationToken.ThrowIfCancellationRequested();
                ArgumentNullException.ThrowIfNull(dataset, nameof(datasets));
                var datasetWriter = new DicomJsonDatasetWriter(options);
                await datasetWriter.PreloadAsync(dataset, cancellationToken).ConfigureAwait(false);
                datasetWriter.WriteDataset(writer, dataset);
                if (writer.BytesPending >= 64 * 1024)
                {
                    await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            writer.WriteEndArray();
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads a data set from a DICOM JSON object in a string.</summary>
    public static DicomDataset Deserialize(string json, DicomJsonReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        options ??= DicomJsonReaderOptions.Default;
        using var document = Parse(() => JsonDocument.Parse(json, CreateDocumentOptions(options)));
        return Read(document.RootElement, options);
    }

    /// <summary>Reads a data set from a DICOM JSON object, UTF-8 encoded.</summary>
    public static DicomDataset Deserialize(ReadOnlyMemory<byte> utf8Json, DicomJsonReaderOptions? options = null)
    {
        options ??= DicomJsonReaderOptions.Default;
        using var document = Parse(() => JsonDocument.Parse(utf8Json, CreateDocumentOptions(options)));
        return Read(document.RootElement, options);
    }

    /// <summary>Reads a data set from a DICOM JSON object already parsed.</summary>
    public static DicomDataset Read(JsonElement element, DicomJsonReaderOptions? options = null)
    {
        options ??= DicomJsonReaderOptions.Default;
        return ReadRoot(element, "$", options);
    }

    /// <summary>Reads a data set from a stream holding one DICOM JSON object.</summary>
    public static async Task<DicomDataset> ReadAsync(Stream stream, DicomJsonReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= DicomJsonReaderOptions.Default;
        using var document = await ParseAsync(stream, options, cancellationToken).ConfigureAwait(false);
        return Read(document.RootElement, options);
    }

    /// <summary>
    /// Reads a JSON array of DICOM JSON objects (a QIDO-RS or metadata response). When not strict, a single object is read
    /// as an array of one.
    /// </summary>
    public static async Task<IReadOnlyList<DicomDataset>> ReadArrayAsync(Stream stream, DicomJsonReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= DicomJsonReaderOptions.Default;
        using var document = await ParseAsync(stream, options, cancellationToken).ConfigureAwait(false);
        return ReadArray(document.RootElement, options);
    }

    /// <summary>Reads a JSON array of DICOM JSON objects from a string.</summary>
    public static IReadOnlyList<DicomDataset> DeserializeArray(string json, DicomJsonReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        options ??= DicomJsonReaderOptions.Default;
        using var document = Parse(() => JsonDocument.Parse(json, CreateDocumentOptions(options)));
        return ReadArray(document.RootElement, options);
    }

    /// <summary>
    /// The BulkDataURI an element was read with when it was not resolved (see <see cref="DicomJsonReaderOptions.BulkDataResolver"/>),
    /// else null.
    /// </summary>
    public static string? GetBulkDataUri(DicomItem item) =>
        item is DicomElement { BulkData.Source: BulkDataUriSource source } ? source.Uri : null;

    private static List<DicomDataset> ReadArray(JsonElement root, DicomJsonReaderOptions options)
    {
        if (root.ValueKind == JsonValueKind.Object && !options.Strict)
        {
            return [ReadRoot(root, "$", options)];
        }

        if (root.ValueKind != JsonValueKind.Array)
        {
            throw new DicomJsonException($"Expected a JSON array of DICOM JSON objects, found {root.ValueKind}", "$", null);
        }

        var result = new List<DicomDataset>(root.GetArrayLength());
        var index = 0;
        foreach (var element in root.EnumerateArray())
        {
            result.Add(ReadRoot(element, $"$[{index.ToString(System.Globalization.CultureInfo.InvariantCulture)}]", options));
            index++;
        }

        return result;
    }

    private static DicomDataset ReadRoot(JsonElement element, string path, DicomJsonReaderOptions options) =>
        new DicomJsonDatasetReader(options).Read(element, path);

    private static JsonDocument Parse(Func<JsonDocument> parse)
    {
        try
        {
            return parse();
        }
        catch (JsonException ex)
        {
            throw new DicomJsonException($"The input is not valid JSON: {ex.Message}", ex.Path ?? "$", null, ex);
        }
    }

    private static async Task<JsonDocument> ParseAsync(Stream stream, DicomJsonReaderOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonDocument.ParseAsync(stream, CreateDocumentOptions(options), cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            throw new DicomJsonException($"The input is not valid JSON: {ex.Message}", ex.Path ?? "$", null, ex);
        }
    }

    private static JsonDocumentOptions CreateDocumentOptions(DicomJsonReaderOptions options) => new()
    {
        MaxDepth = options.MaxDepth,
        AllowTrailingCommas = !options.Strict,
        CommentHandling = options.Strict ? JsonCommentHandling.Disallow : JsonCommentHandling.Skip,
    };

    private static JsonWriterOptions CreateWriterOptions(DicomJsonWriterOptions options) => new()
    {
        Indented = options.Indented,
        Encoder = options.Encoder ?? JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
