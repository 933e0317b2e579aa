using System.Diagnostics;
using System.Globalization;
using Vna.Core;
using Vna.Dicom;
using Vna.Dicom.Network;

namespace Vna.Cli.Store;

/// <summary>
/// Runs <c>vna store</c>: reads each file's header (SOP class, instance, transfer syntax), proposes the contexts of
/// <see cref="StorePlan"/>, and sends the files over <see cref="Associations"/> associations in parallel (files dealt round
/// robin). A file goes out byte for byte in its own transfer syntax when the peer accepted it; an uncompressed or deflated
/// file is otherwise re-encoded in an accepted uncompressed syntax, and a compressed one decoded into it by
/// <see cref="Transcoder"/> (when it has one that decodes the file's syntax; else the file fails). Progress goes to the
/// error writer, the summary to the output.
/// </summary>
internal sealed class StoreRunner(Func<IReadOnlyList<PresentationContext>, CancellationToken, Task<DicomAssociation>> connect, TextWriter progress, bool verbose)
{
    private static readonly DicomReaderOptions s_headerOnly = new() { BulkDataThreshold = 256, StopAtTag = new DicomTag(0x0008, 0x0019) };
    private static readonly TimeSpan s_progressInterval = TimeSpan.FromSeconds(2);

    private readonly Lock _progressGate = new();
    private long _lastProgress;

    public int Associations { get; init; } = 1;

    /// <summary>Decodes compressed files the peer takes only uncompressed (null: such files fail).</summary>
    public IInstanceTranscoder? Transcoder { get; init; }

    public StoreSummary Summary { get; } = new();

    /// <summary>Files named directly in their order, then each folder's files recursively in ordinal order (DICOMDIR skipped).</summary>
    public static List<string> FindFiles(IEnumerable<string> paths, List<string> missing)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(missing);
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                files.Add(path);
            }
            else if (Directory.Exists(path))
            {
                files.AddRange(Directory.EnumerateFiles(path, "*", new EnumerationOptions { RecurseSubdirectories = true })
                    .Where(f => !string.Equals(Path.GetFileName(f), "DICOMDIR", StringComparison.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal));
            }
            else
            {
                missing.Add(path);
            }
        }

        return files;
    }

    /// <summary>Reads the header of <paramref name="path"/>; null with a reason when it is not a storable DICOM object.</summary>
    public static async Task<(StoreFile? File, string? Problem)> ScanAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            using var file = await DicomReader.ReadFileAsync(path, s_headerOnly, cancellationToken).ConfigureAwait(false);
            var sopClass = file.Dataset.GetString(DicomTag.SOPClassUID) ?? file.FileMetaInformation.GetString(DicomTag.MediaStorageSOPClassUID);
            var sopInstance = file.Dataset.GetString(DicomTag.SOPInstanceUID) ?? file.FileMetaInformation.GetString(DicomTag.MediaStorageSOPInstanceUID);
            if (string.IsNullOrEmpty(sopClass) || string.IsNullOrEmpty(sopInstance))
            {
                return (null, "no SOP Class UID or SOP Instance UID");
            }

            return (new StoreFile(path, sopClass, sopInstance, file.TransferSyntax.Uid, file.HasFileMetaInformation, new FileInfo(path).Length), null);
        }
        catch (DicomReadException ex)
        {
            return (null, "not a readable DICOM file: " + ex.Message);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or EndOfStreamException)
        {
            return (null, ex.Message);
        }
    }

    /// <summary>Sends <paramref name="files"/>; the outcomes land in <see cref="Summary"/>.</summary>
    public async Task RunAsync(IReadOnlyList<StoreFile> files, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        var workers = Math.Clamp(Associations, 1, Math.Max(files.Count, 1));
        var shares = Enumerable.Range(0, workers).Select(w => files.Where((_, i) => i % workers == w).ToList()).ToList();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(shares.Select(share => SendShareAsync(share, files.Count, clock, cancellationToken))).ConfigureAwait(false);
    }

    private async Task SendShareAsync(List<StoreFile> share, int total, Stopwatch clock, CancellationToken cancellationToken)
    {
        foreach (var batch in StorePlan.Batches(share, Transcoder))
        {
            var contexts = StorePlan.Contexts(batch, Transcoder);
            var next = 0;
            while (next < batch.Count)
            {
                // A new association for what is left: the first one, or after the peer aborted one (a file it could not take,
                // such as a truncated one, must not cost the files after it). Each round sends or fails at least one file.
                DicomAssociation association;
                try
                {
                    association = await connect(contexts, cancellationToken).ConfigureAwait(false);
                }
                catch (DicomAssociationRejectedException ex)
                {
                    foreach (var file in batch.Skip(next))
                    {
                        Record(new StoreOutcome(file.Path, file.Size, null, "association rejected: " + ex.Reject.Description), total, clock);
                    }

                    break;
                }

                await using (association.ConfigureAwait(false))
                {
                    do
                    {
                        Record(await SendOneAsync(association, batch[next++], cancellationToken).ConfigureAwait(false), total, clock);
                    }
                    while (next < batch.Count && association.State == AssociationState.Sta6);

                    if (association.State == AssociationState.Sta6)
                    {
                        await association.ReleaseAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }
    }

    private async Task<StoreOutcome> SendOneAsync(DicomAssociation association, StoreFile file, CancellationToken cancellationToken)
    {
        try
        {
            if (file.HasFileMetaInformation && association.FindPresentationContext(file.SopClassUid, file.TransferSyntaxUid) is not null)
            {
                var stream = new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
                await using (stream.ConfigureAwait(false))
                {
                    var (dataset, headerLength) = await Part10Header.SkipAsync(stream, cancellationToken).ConfigureAwait(false);
                    var deflated = DicomTransferSyntax.Parse(file.TransferSyntaxUid).IsDeflated;

                    // An odd-length data set is not valid DICOM: a deflated one is padded with 00H (PS3.5 A.5 requires it), any
                    // other (an odd value length) is re-encoded below, which pads the value.
                    if ((file.Size - headerLength) % 2 == 0 || deflated)
                    {
                        // As it is: the data set's bytes straight from the file, after the preamble and meta group.
                        var response = await association.StoreAsync(
                            file.SopClassUid, file.SopInstanceUid, file.TransferSyntaxUid, DimseOutgoingData.FromStream(dataset, padToEvenLength: deflated), cancellationToken)
                            .ConfigureAwait(false);
                        return new StoreOutcome(file.Path, file.Size, response.Status, response.ErrorComment);
                    }
                }
            }

            var target = Reencoding(association, file);
            if (target is null)
            {
                return new StoreOutcome(file.Path, file.Size, null, $"the peer accepted no presentation context for {file.SopClassUid} in {file.TransferSyntaxUid}"
                    + (StorePlan.CanReencode(file.TransferSyntaxUid, Transcoder) ? " nor an uncompressed one" : " (and its syntax cannot be decoded here)"));
            }

            if (DicomTransferSyntax.Parse(file.TransferSyntaxUid).IsEncapsulated && !string.Equals(target, file.TransferSyntaxUid, StringComparison.Ordinal))
            {
                // Compressed, and the peer takes the class only uncompressed: decoded by the codecs, then sent.
                using var decoded = new MemoryStream();
                var source = new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
                await using (source.ConfigureAwait(false))
                {
                    await Transcoder!.TranscodeAsync(source, target, decoded, null, cancellationToken).ConfigureAwait(false);
                }

                decoded.Position = 0;
                using var transcoded = await DicomReader.ReadAsync(decoded, null, null, cancellationToken).ConfigureAwait(false);
                var sent = await association.StoreAsync(file.SopClassUid, file.SopInstanceUid, target, DimseOutgoingData.FromDataset(transcoded.Dataset), cancellationToken)
                    .ConfigureAwait(false);
                return new StoreOutcome(file.Path, file.Size, sent.Status, sent.ErrorComment ?? $"decoded from {file.TransferSyntaxUid} to {target}");
            }

            using var whole = await DicomReader.ReadFileAsync(file.Path, null, cancellationToken).ConfigureAwait(false);
            var reencoded = await association.StoreAsync(file.SopClassUid, file.SopInstanceUid, target, DimseOutgoingData.FromDataset(whole.Dataset), cancellationToken)
                .ConfigureAwait(false);
            return new StoreOutcome(file.Path, file.Size, reencoded.Status, reencoded.ErrorComment);
        }
        catch (Exception ex) when (ex is IOException or DicomReadException or InvalidDataException or DicomAssociationAbortedException or TranscodeException)
        {
            return new StoreOutcome(file.Path, file.Size, null, ex.Message);
        }
    }

    /// <summary>The accepted syntax a file is re-encoded in: its own (a bare data set), else Explicit, else Implicit VR LE.</summary>
    private string? Reencoding(DicomAssociation association, StoreFile file)
    {
        if (association.FindPresentationContext(file.SopClassUid, file.TransferSyntaxUid) is not null)
        {
            return file.TransferSyntaxUid;
        }

        if (!DicomTransferSyntax.Parse(file.TransferSyntaxUid).IsEncapsulated)
        {
            return TransferSyntaxes.Uncompressed.FirstOrDefault(ts => association.FindPresentationContext(file.SopClassUid, ts) is not null);
        }

        return Transcoder is { } transcoder
            ? TransferSyntaxes.Uncompressed.FirstOrDefault(ts => association.FindPresentationContext(file.SopClassUid, ts) is not null && transcoder.CanTranscode(file.TransferSyntaxUid, ts))
            : null;
    }

    private void Record(StoreOutcome outcome, int total, Stopwatch clock)
    {
        Summary.Add(outcome);
        string? line = null;
        lock (_progressGate)
        {
            if (verbose)
            {
                var status = outcome.Status is { } s ? "0x" + s.ToString("X4", CultureInfo.InvariantCulture) : "-";
                line = $"{(outcome.IsFailure ? "failed" : outcome.IsWarning ? "warning" : "stored")} {status} {outcome.Path}{(outcome.Reason is null ? "" : ": " + outcome.Reason)}";
            }
            else if (clock.ElapsedTicks - _lastProgress > s_progressInterval.TotalSeconds * Stopwatch.Frequency || Summary.Total == total)
            {
                _lastProgress = clock.ElapsedTicks;
                line = string.Create(CultureInfo.InvariantCulture, $"{Summary.Total}/{total} files, {Summary.Bytes / 1e6:0.0} MB, {clock.Elapsed.TotalSeconds:0.0} s");
            }

            if (line is not null)
            {
                progress.WriteLine(line);
            }
        }
    }
}
