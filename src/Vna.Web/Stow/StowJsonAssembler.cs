using System.IO.Pipelines;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Vna.Core;
using Vna.Dicom;

namespace Vna.Web.Stow;

/// <summary>
/// STOW-RS of DICOM JSON (PS3.18 10.5.1.2.2): one application/dicom+json part holding an array of data sets whose binary
/// values are BulkDataURIs, and one part per bulk data value named by its Content-Location. The bulk parts are spooled to
/// temporary files (never to memory), the JSON part is bounded by <see cref="DicomWebOptions.MaxJsonPartSize"/>; each data
/// set is then written as an Explicit VR Little Endian Part 10 object through a pipe into the Store feature. A request
/// that cannot be read (invalid JSON, a missing bulk part) stores nothing.
/// </summary>
internal static class StowJsonAssembler
{
    public static async Task<(List<StowPartResult> Parts, string? Malformed)> StoreAsync(
        MultipartReader reader, StoreService store, StoreRequest storeRequest, IServiceProvider services, CancellationToken cancellationToken)
    {
        var options = services.GetRequiredService<IOptionsMonitor<DicomWebOptions>>().CurrentValue;
        var spool = Directory.CreateTempSubdirectory("vna-stow-");
        try
        {
            byte[]? json = null;
            var bulk = new Dictionary<string, (string Path, long Length)>(StringComparer.Ordinal);
            while (true)
            {
                MultipartSection? section;
                try
                {
                    section = await reader.ReadNextSectionAsync(cancellationToken).ConfigureAwait(false);
                    if (section is null)
                    {
                        break;
                    }

                    var partType = section.ContentType is { } declared && MediaTypeHeaderValue.TryParse(declared, out var parsed)
                        ? parsed.MediaType.Value ?? string.Empty
                        : string.Empty;
                    if (json is null && (partType.Length == 0 || partType.Contains("json", StringComparison.OrdinalIgnoreCase)))
                    {
                        json = await ReadBoundedAsync(section.Body, options.MaxJsonPartSize, cancellationToken).ConfigureAwait(false);
                        if (json is null)
                        {
                            return ([], $"The DICOM JSON part is larger than {options.MaxJsonPartSize} bytes.");
                        }

                        continue;
                    }

                    var location = section.Headers?.TryGetValue("Content-Location", out var values) == true ? values.ToString() : null;
                    if (string.IsNullOrEmpty(location))
                    {
                        return ([], "A bulk data part has no Content-Location.");
                    }

                    if (!partType.Equals(Http.DicomWebMediaTypes.OctetStream, StringComparison.OrdinalIgnoreCase))
                    {
                        return ([], $"Bulk data of type {partType} is not accepted: send uncompressed values as application/octet-stream.");
                    }

                    var path = Path.Combine(spool.FullName, bulk.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
                    await using (file.ConfigureAwait(false))
                    {
                        await section.Body.CopyToAsync(file, 128 * 1024, cancellationToken).ConfigureAwait(false);
                        bulk[location] = (path, file.Length);
                    }
                }
                catch (Exception ex) when (ex is IOException or InvalidDataException)
                {
                    return ([], ex.Message);
                }
            }

            if (json is null)
            {
                return ([], "The request has no application/dicom+json part.");
            }

            IReadOnlyList<DicomDataset> datasets;
            string? missing = null;
            try
            {
                datasets = DicomJson.DeserializeArray(System.Text.Encoding.UTF8.GetString(json), new DicomJsonReaderOptions
                {
                    BulkDataResolver = (uri, _, _) =>
                    {
                        if (bulk.TryGetValue(uri, out var value))
                        {
                            return new BulkDataReference(new FileBulkDataSource(value.Path), 0, value.Length);
                        }

                        missing ??= uri;
                        return null;
                    },
                });
            }
            catch (DicomJsonException ex)
            {
                return ([], "The DICOM JSON is not valid: " + ex.Message);
            }

            if (missing is not null)
            {
                return ([], $"No part has the Content-Location of BulkDataURI '{missing}'.");
            }

            var parts = new List<StowPartResult>(datasets.Count);
            foreach (var dataset in datasets)
            {
                parts.Add(await StoreOneAsync(dataset, store, storeRequest, cancellationToken).ConfigureAwait(false));
            }

            return (parts, null);
        }
        finally
        {
            try
            {
                spool.Delete(recursive: true);
            }
            catch (IOException)
            {
                // Left in the temp folder; the OS cleans it.
            }
        }
    }

    private static async Task<StowPartResult> StoreOneAsync(DicomDataset dataset, StoreService store, StoreRequest storeRequest, CancellationToken cancellationToken)
    {
        var syntax = DicomTransferSyntax.ExplicitVRLittleEndian;
        DicomDataset meta;
        try
        {
            meta = DicomWriter.CreateFileMetaInformation(dataset, syntax);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or DicomDataException)
        {
            return new StowPartResult(null, "The data set cannot be written as DICOM: " + ex.Message);
        }

        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024));
        var writing = Task.Run(
            async () =>
            {
                try
                {
                    await using var output = pipe.Writer.AsStream();
                    await DicomWriter.WriteFileAsync(output, new DicomFile(meta, dataset, syntax), null, cancellationToken).ConfigureAwait(false);
                    await pipe.Writer.CompleteAsync().ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    await pipe.Writer.CompleteAsync(ex).ConfigureAwait(false);
                }
            },
            cancellationToken);
        try
        {
            await using var input = pipe.Reader.AsStream();
            var result = await store.StoreAsync(input, storeRequest, cancellationToken).ConfigureAwait(false);
            return new StowPartResult(result, null);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or DicomDataException)
        {
            return new StowPartResult(null, "The data set cannot be written as DICOM: " + ex.Message);
        }
        finally
        {
            await writing.ConfigureAwait(false);
        }
    }

    private static async Task<byte[]?> ReadBoundedAsync(Stream stream, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
