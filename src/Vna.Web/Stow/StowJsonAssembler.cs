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
/// Pixel Data may come as a compressed single-frame part (image/jpeg, image/jls, image/jp2, image/jpx, image/jphc,
/// image/dicom-rle, or application/octet-stream with a compressed transfer-syntax parameter): that data set is then
/// stored in the syntax the part names, its codestream encapsulated unchanged (<see cref="CompressedBulkData"/>); a part
/// whose content disagrees with what it declares fails its data set (Failed SOP Sequence), not the request.
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
            var bulk = new Dictionary<string, StowBulkPart>(StringComparer.Ordinal);
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

                    var parsed = section.ContentType is { } declared && MediaTypeHeaderValue.TryParse(declared, out var p) ? p : null;
                    var partType = parsed?.MediaType.Value ?? string.Empty;
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

                    var (syntax, fromContent, problem) = parsed is null
                        ? (null, false, "A bulk data part has no valid Content-Type.")
                        : CompressedBulkData.Classify(parsed);
                    if (syntax is null && problem is not null && !partType.StartsWith("image/", StringComparison.OrdinalIgnoreCase)
                        && !partType.StartsWith("video/", StringComparison.OrdinalIgnoreCase)
                        && !partType.Equals(Http.DicomWebMediaTypes.OctetStream, StringComparison.OrdinalIgnoreCase))
                    {
                        return ([], problem);
                    }

                    var path = Path.Combine(spool.FullName, bulk.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
                    await using (file.ConfigureAwait(false))
                    {
                        await section.Body.CopyToAsync(file, 128 * 1024, cancellationToken).ConfigureAwait(false);
                        bulk[location] = new StowBulkPart(path, file.Length, partType, syntax, fromContent, problem);
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
            string? misplaced = null;
            try
            {
                datasets = DicomJson.DeserializeArray(System.Text.Encoding.UTF8.GetString(json), new DicomJsonReaderOptions
                {
                    BulkDataResolver = (uri, tag, _) =>
                    {
                        if (bulk.TryGetValue(uri, out var value))
                        {
                            if (value.IsCompressed && tag != DicomTag.PixelData)
                            {
                                misplaced ??= uri;
                            }

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

            if (misplaced is not null)
            {
                return ([], $"The compressed bulk data part '{misplaced}' is referenced by an attribute other than Pixel Data (7FE0,0010).");
            }

            var compressed = bulk.Values.Where(b => b.IsCompressed).ToDictionary(b => b.Path, StringComparer.Ordinal);
            var parts = new List<StowPartResult>(datasets.Count);
            foreach (var dataset in datasets)
            {
                var syntax = DicomTransferSyntax.ExplicitVRLittleEndian;
                if (dataset.GetElement(DicomTag.PixelData) is { BulkData.Source: FileBulkDataSource source } && compressed.TryGetValue(source.Path, out var part))
                {
                    var (encapsulated, refusal) = await EncapsulateAsync(dataset, part, spool.FullName, cancellationToken).ConfigureAwait(false);
                    if (refusal is not null)
                    {
                        parts.Add(Refused(dataset, refusal));
                        continue;
                    }

                    syntax = encapsulated!;
                }

                parts.Add(await StoreOneAsync(dataset, syntax, store, storeRequest, cancellationToken).ConfigureAwait(false));
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

    /// <summary>
    /// Replaces the data set's Pixel Data with the part's codestream as one fragment (PS3.5 A.4: an empty Basic Offset
    /// Table, one frame in one fragment of even length) after checking the part; returns the syntax or why it was refused.
    /// </summary>
    private static async Task<(DicomTransferSyntax? Syntax, string? Refusal)> EncapsulateAsync(
        DicomDataset dataset, StowBulkPart part, string spool, CancellationToken cancellationToken)
    {
        if (part.Problem is not null)
        {
            return (null, part.Problem);
        }

        if (int.TryParse(dataset.GetString(DicomTag.NumberOfFrames), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var frames) && frames > 1)
        {
            return (null, $"Compressed pixel data of {frames} frames in one {part.MediaType} part is not accepted: this archive takes single-frame compressed parts.");
        }

        var missing = new[] { DicomTag.SamplesPerPixel, DicomTag.PhotometricInterpretation, DicomTag.Rows, DicomTag.Columns, DicomTag.BitsAllocated, DicomTag.BitsStored, DicomTag.HighBit, DicomTag.PixelRepresentation }
            .Where(t => dataset.GetElement(t) is not { Length: > 0 }).ToArray();
        if (missing.Length > 0)
        {
            return (null, $"The Image Pixel Description attributes ({string.Join(", ", missing.Select(t => t.ToString()))}) must be sent with compressed pixel data: this archive does not derive them from the codestream.");
        }

        DicomTransferSyntax? syntax;
        long offset;
        long length;
        string? problem;
        try
        {
            (syntax, offset, length, problem) = await CompressedBulkData.CheckAsync(part, part.SyntaxFromContent, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or EndOfStreamException)
        {
            return (null, "The compressed bulk data part cannot be read: " + ex.Message);
        }

        if (problem is not null)
        {
            return (null, problem);
        }

        var path = part.Path;
        if (offset != 0 || length % 2 != 0)
        {
            // A codestream inside a JP2 file, or of odd length: copied out and padded with one zero byte to an even length.
            path = Path.Combine(spool, Path.GetFileName(part.Path) + ".codestream");
            var source = new BulkDataReference(new FileBulkDataSource(part.Path), offset, length).OpenRead();
            var target = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
            await using (source.ConfigureAwait(false))
            await using (target.ConfigureAwait(false))
            {
                await source.CopyToAsync(target, 128 * 1024, cancellationToken).ConfigureAwait(false);
                if (length % 2 != 0)
                {
                    target.WriteByte(0);
                }

                length = target.Length;
            }
        }

        var pixels = new DicomFragmentSequence(DicomTag.PixelData, DicomVR.OB);
        pixels.Add(new DicomFragment(new BulkDataReference(new FileBulkDataSource(path), 0, length)));
        dataset.AddOrUpdate(pixels);
        return (syntax, null);
    }

    private static StowPartResult Refused(DicomDataset dataset, string reason) => new(
        new StoreResult
        {
            Status = StoreStatus.Rejected,
            Failure = StoreFailure.CannotUnderstand,
            Reason = reason,
            StudyInstanceUid = dataset.GetString(DicomTag.StudyInstanceUID),
            SeriesInstanceUid = dataset.GetString(DicomTag.SeriesInstanceUID),
            SopClassUid = dataset.GetString(DicomTag.SOPClassUID),
            SopInstanceUid = dataset.GetString(DicomTag.SOPInstanceUID),
        },
        reason);

    private static async Task<StowPartResult> StoreOneAsync(
        DicomDataset dataset, DicomTransferSyntax syntax, StoreService store, StoreRequest storeRequest, CancellationToken cancellationToken)
    {
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
