using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vna.Dicom;

namespace Vna.Core;

/// <summary>
/// The Store feature: how every object enters the archive (C-STORE, STOW-RS, <c>vna import</c>). The object is streamed to a
/// temporary file on the hot tier while its SHA-256 is computed, parsed back from there (bulk data by reference: never held
/// in memory), validated, coerced per department (rewritten when anything changed), committed (fsync, atomic rename, fsync of
/// the folder) and registered with the study's coordinator; only then is success returned. A failure before registration
/// leaves nothing behind; a rejected duplicate or an unreachable coordinator removes the new copy again.
/// </summary>
public sealed partial class StoreService
{
    private const int CopyBufferSize = 128 * 1024;
    private const int MaxReportedReaderWarnings = 16;
    /// <summary>Values over 1 KiB stay in the file (what the metadata document refers to by BulkDataURI, never reads).</summary>
    private const int ReaderBulkDataThreshold = 1025;
    private const string StoreOperation = "store";

    /// <summary>Where a header read of a bare data set may stop: after the SOP Instance UID.</summary>
    private static readonly DicomTag AfterSopInstanceUid = new(0x0008, 0x0019);

    private readonly IHotStore _hotStore;
    private readonly IStudyCoordinator _coordinator;
    private readonly IAuditSink _auditSink;
    private readonly IOptionsMonitor<ArchiveOptions> _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<StoreService> _logger;
    private readonly IInstanceDocumentBuilder? _documents;

    public StoreService(
        IHotStore hotStore,
        IStudyCoordinator coordinator,
        IAuditSink auditSink,
        IOptionsMonitor<ArchiveOptions> options,
        TimeProvider timeProvider,
        ILogger<StoreService> logger,
        IInstanceDocumentBuilder? documents = null)
    {
        ArgumentNullException.ThrowIfNull(hotStore);
        ArgumentNullException.ThrowIfNull(coordinator);
        ArgumentNullException.ThrowIfNull(auditSink);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _hotStore = hotStore;
        _coordinator = coordinator;
        _auditSink = auditSink;
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        _documents = documents;
    }

    /// <summary>
    /// Stores one object read from <paramref name="content"/>: a Part 10 file, or a bare data set when
    /// <see cref="StoreRequest.BareDatasetSyntax"/> is set. Returns a success status only once the object is durable and
    /// registered. Refusals are results, not exceptions; cancellation and unexpected faults throw, with nothing left behind.
    /// </summary>
    public async Task<StoreResult> StoreAsync(Stream content, StoreRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(request);

        var options = _options.CurrentValue;
        var department = new DepartmentResolver(options).FindByName(request.Department);
        if (department is null)
        {
            return Reject(request, new StoreCheck(), StoreFailure.NotAuthorized, $"The department '{request.Department}' is not configured.");
        }

        if (!department.Allows(StoreOperation))
        {
            return Reject(request, new StoreCheck(), StoreFailure.NotAuthorized, $"The department '{department.Name}' may not store.");
        }

        var receivedAt = _timeProvider.GetUtcNow();
        IHotWrite first;
        try
        {
            first = await _hotStore.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogHotTierFailure(department.Name, ex.GetType().Name);
            return Reject(request, new StoreCheck(), StoreFailure.OutOfResources, $"The hot tier cannot take the object: {ex.Message}");
        }

        var slot = new HotWriteSlot(first);
        await using (slot.ConfigureAwait(false))
        {
            return await StoreCoreAsync(content, request, options, department, receivedAt, slot, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<StoreResult> StoreCoreAsync(
        Stream content,
        StoreRequest request,
        ArchiveOptions options,
        DepartmentOptions department,
        DateTimeOffset receivedAt,
        HotWriteSlot slot,
        CancellationToken cancellationToken)
    {
        var noUids = new StoreCheck();
        var syntax = request.BareDatasetSyntax;
        var sourceAeTitle = syntax is null ? null : FileMetaPrefix.SourceAeTitle(request.Actor);

        // 1. Receive: to a temporary file, hashed on the way. A bare data set whose SOP UIDs were announced gets its File
        //    Meta Information first; one whose UIDs were not is received first and given its meta afterwards.
        byte[]? prefix = null;
        if (syntax is not null && DicomUid.IsValid(request.ExpectedSopClassUid) && DicomUid.IsValid(request.ExpectedSopInstanceUid))
        {
            prefix = await FileMetaPrefix.CreateAsync(request.ExpectedSopClassUid!, request.ExpectedSopInstanceUid!, syntax, sourceAeTitle, cancellationToken)
                .ConfigureAwait(false);
        }

        string sha256;
        long size;
        var readingInput = new StrongBox<bool>();
        try
        {
            var received = await ReceiveAsync(content, slot.Current, prefix, options.MaxObjectSize, readingInput, cancellationToken).ConfigureAwait(false);
            if (received is null)
            {
                return Reject(request, noUids, StoreFailure.OutOfResources, $"The object is larger than the {options.MaxObjectSize} bytes the archive accepts.");
            }

            (sha256, size) = received.Value;
            if (syntax is not null && prefix is null)
            {
                var identified = await ReadIdentifiersAsync(slot.Current.TemporaryPath, syntax, cancellationToken).ConfigureAwait(false);
                if (identified.Failure != StoreFailure.None)
                {
                    return Reject(request, identified, identified.Failure, identified.Reason!);
                }

                prefix = await FileMetaPrefix.CreateAsync(identified.SopClassUid!, identified.SopInstanceUid!, syntax, sourceAeTitle, cancellationToken)
                    .ConfigureAwait(false);
                var withMeta = await _hotStore.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
                var raw = slot.Replace(withMeta);
                try
                {
                    (sha256, size) = await PrependAsync(prefix, raw.TemporaryPath, withMeta, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    await raw.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when ((ex is IOException or UnauthorizedAccessException) && !readingInput.Value)
        {
            // A failure to read the input itself (the sender went away, an unreadable file) is the caller's: it propagates,
            // with the temporary file removed.
            LogHotTierFailure(department.Name, ex.GetType().Name);
            return Reject(request, noUids, StoreFailure.OutOfResources, $"The object could not be received on the hot tier: {ex.Message}");
        }

        // 2. Parse what was written, in full but with bulk data by reference into the temporary file: every length is
        //    checked against the file (a truncated object is refused) and no pixel data is read.
        var write = slot.Current;
        DicomFile file;
        try
        {
            file = await DicomReader.ReadFileAsync(write.TemporaryPath, ReaderOptions(write), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DicomDataException or InvalidDataException or NotSupportedException)
        {
            return Reject(request, noUids, StoreFailure.CannotUnderstand, $"The object is not valid DICOM: {ex.Message}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The temporary file could not be read back (the hot tier failed under us): not the sender's fault.
            return Reject(request, noUids, StoreFailure.OutOfResources, $"The object could not be read back from the hot tier: {ex.GetType().Name}");
        }

        StoreCheck check;
        string transferSyntaxUid;
        InstanceAttributes attributes;
        InstanceDocument? document;
        var warnings = new List<string>();
        bool coerced;
        using (file)
        {
            // 3. Validate.
            check = StoreValidator.Validate(file, request, options);
            if (!check.IsValid)
            {
                return Reject(request, check, check.Failure, check.Reason!);
            }

            // 4. Coerce, and rewrite the object when anything changed (or when it lacks its File Meta Information).
            var coercion = AttributeCoercer.Apply(file.Dataset, department);
            if (coercion.Failed)
            {
                LogCoercionConfiguration(department.Name, coercion.Problem!);
                return Reject(request, check, StoreFailure.OutOfResources, $"The archive's coercion configuration cannot be applied: {coercion.Problem}");
            }

            coerced = coercion.Changed;
            warnings.AddRange(coercion.Changes);
            warnings.AddRange(file.Warnings.Take(MaxReportedReaderWarnings).Select(w => $"Tolerated: {w}"));
            if (file.Warnings.Count > MaxReportedReaderWarnings)
            {
                warnings.Add($"Tolerated: {file.Warnings.Count - MaxReportedReaderWarnings} more defects.");
            }

            var metaMismatch = StoreValidator.FileMetaMismatch(file, check);
            if (metaMismatch is not null)
            {
                warnings.Add(metaMismatch);
            }

            if (coercion.Changed || metaMismatch is not null || !file.HasFileMetaInformation || !file.HasPreamble)
            {
                if (!file.HasFileMetaInformation)
                {
                    warnings.Add("The object had no File Meta Information; it was added.");
                }

                try
                {
                    slot.Replace(await _hotStore.BeginWriteAsync(cancellationToken).ConfigureAwait(false));
                    (sha256, size) = await RewriteAsync(file, sourceAeTitle, slot.Current, cancellationToken).ConfigureAwait(false);
                }
                catch (InvalidOperationException ex)
                {
                    return Reject(request, check, StoreFailure.CannotUnderstand, $"The object cannot be rewritten after coercion: {ex.Message}");
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    LogHotTierFailure(department.Name, ex.GetType().Name);
                    return Reject(request, check, StoreFailure.OutOfResources, $"The object could not be rewritten on the hot tier: {ex.Message}");
                }
                finally
                {
                    // The data set's bulk data referred to the first file: it is no longer needed once the rewrite is done.
                    if (!ReferenceEquals(slot.Current, write))
                    {
                        await write.DisposeAsync().ConfigureAwait(false);
                    }
                }

                write = slot.Current;
            }

            transferSyntaxUid = file.TransferSyntax.Uid;
            attributes = InstanceAttributesReader.Read(file.Dataset) with
            {
                // As validated (whatever VR they were encoded with).
                SopClassUid = check.SopClassUid!,
                SopInstanceUid = check.SopInstanceUid!,
                StudyInstanceUid = check.StudyInstanceUid!,
                SeriesInstanceUid = check.SeriesInstanceUid!,
            };

            // Last: the builder may add to the data set (which is not used again).
            document = BuildDocument(file, check);
        }

        // 5. Commit: fsync, atomic rename into the study's folder, fsync of the folder.
        string location;
        try
        {
            location = await write.CommitAsync(check.StudyInstanceUid!, check.SeriesInstanceUid!, check.SopInstanceUid!, sha256, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogHotTierFailure(department.Name, ex.GetType().Name);
            return Reject(request, check, StoreFailure.OutOfResources, $"The object could not be made durable on the hot tier: {ex.Message}");
        }

        var instance = new StoredInstance
        {
            Attributes = attributes,
            TransferSyntaxUid = transferSyntaxUid,
            Size = size,
            Sha256 = sha256,
            Tier = StorageTier.Hot,
            Location = location,
            SourceDepartment = department.Name,
            ReceivedAt = receivedAt,
            Document = document,
        };

        // 6. Register with the study's coordinator; only its answer makes the object part of the archive.
        RegistrationResult registration;
        try
        {
            var results = await _coordinator.RegisterAsync(instance.StudyInstanceUid, [instance], cancellationToken).ConfigureAwait(false);
            registration = results.Count == 1 && string.Equals(results[0].SopInstanceUid, instance.SopInstanceUid, StringComparison.Ordinal)
                ? results[0]
                : throw new InvalidOperationException($"The study coordinator answered {results.Count} results for one instance.");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The registration may have been committed before the cancellation reached us: keep the durable copy (at
            // worst an unindexed file that recovery finds; deleting it could leave the index pointing at nothing).
            throw;
        }
        catch (Exception ex)
        {
            LogCoordinatorFailure(department.Name, ex.GetType().Name);
            LogCoordinatorFailureDetail(ex, check.SopInstanceUid);

            // Not acknowledged, but not deleted either: the registration may have reached the index before the failure
            // (a silo lost mid-call). The copy is content-addressed, so a re-send lands on it and registers idempotently.
            return Reject(
                request,
                check,
                StoreFailure.OutOfResources,
                "The archive could not register the instance (its index or the study's coordinator is unavailable); it was not acknowledged: send it again.");
        }

        return await CompleteAsync(request, department, check, instance, registration, warnings, coerced).ConfigureAwait(false);
    }

    /// <summary>Maps the coordinator's answer to the result, auditing and deleting what it calls for.</summary>
    private async Task<StoreResult> CompleteAsync(
        StoreRequest request,
        DepartmentOptions department,
        StoreCheck check,
        StoredInstance instance,
        RegistrationResult registration,
        List<string> warnings,
        bool coerced)
    {
        var location = instance.Location;
        StoreResult Result(StoreStatus status, StoreFailure failure = StoreFailure.None, string? reason = null) => new()
        {
            Status = status,
            Failure = failure,
            Reason = reason,
            StudyInstanceUid = check.StudyInstanceUid,
            SeriesInstanceUid = check.SeriesInstanceUid,
            SopClassUid = check.SopClassUid,
            SopInstanceUid = check.SopInstanceUid,
            Warnings = warnings,
            Coerced = coerced,
            Instance = status == StoreStatus.Rejected ? null : instance,
        };

        StoreResult result;
        switch (registration.Outcome)
        {
            case RegistrationOutcome.Registered:
                result = Result(StoreStatus.Stored);
                break;

            case RegistrationOutcome.Duplicate:
                // Identical content lands on the same name: nothing to delete, unless the archived copy lives elsewhere.
                if (registration.PreviousLocation is { } archived && !string.Equals(archived, location, StringComparison.Ordinal))
                {
                    await DeleteQuietlyAsync(location, "duplicate").ConfigureAwait(false);
                }

                result = Result(StoreStatus.Duplicate, reason: "The archive already holds this instance with the same content.");
                break;

            case RegistrationOutcome.Replaced:
                var previous = registration.PreviousLocation;
                var audited = await AuditAsync(
                    request, instance, "instance-replaced", "Same SOP Instance UID with different content; duplicate policy Replace: the new copy replaced the archived one.", previous)
                    .ConfigureAwait(false);
                if (previous is not null && !string.Equals(previous, location, StringComparison.Ordinal))
                {
                    if (audited)
                    {
                        await DeleteQuietlyAsync(previous, "replaced").ConfigureAwait(false);
                    }
                    else
                    {
                        LogPreviousCopyKept(department.Name);
                    }
                }

                warnings.Add("A different copy of this SOP Instance UID was archived; it was replaced by this one.");
                result = Result(StoreStatus.Replaced, reason: "Replaced the archived copy (duplicate policy Replace).");
                break;

            case RegistrationOutcome.KeptFirst:
                await AuditAsync(
                    request, instance, "duplicate-kept-first", "Same SOP Instance UID with different content; duplicate policy KeepFirst: the new copy was discarded.", registration.PreviousLocation)
                    .ConfigureAwait(false);
                await DeleteQuietlyAsync(location, "discarded").ConfigureAwait(false);
                warnings.Add("A different copy of this SOP Instance UID is already archived and was kept; this copy was discarded.");
                result = Result(StoreStatus.KeptFirst, reason: "Kept the archived copy (duplicate policy KeepFirst).");
                break;

            case RegistrationOutcome.RejectedConflict:
                await AuditAsync(
                    request, instance, "duplicate-rejected", "Same SOP Instance UID with different content; duplicate policy Reject: the new copy was refused.", registration.PreviousLocation)
                    .ConfigureAwait(false);
                await DeleteQuietlyAsync(location, "refused").ConfigureAwait(false);
                result = Result(
                    StoreStatus.Rejected,
                    StoreFailure.Conflict,
                    $"SOP Instance UID {check.SopInstanceUid} is already archived with different content (duplicate policy Reject).");
                break;

            default:
                throw new InvalidOperationException($"Unknown registration outcome {registration.Outcome}.");
        }

        if (result.IsSuccess)
        {
            LogStored(department.Name, result.Status, instance.Size, coerced);
            LogStoredDetail(result.Status, check.SopInstanceUid, check.StudyInstanceUid, location);
        }
        else
        {
            LogRejected(department.Name, result.Failure);
            LogRejectedDetail(result.Failure, check.SopInstanceUid, result.Reason);
        }

        return result;
    }

    /// <summary>The instance's metadata document from the parsed data set; null (made later from the file) without a builder or when it fails.</summary>
    private InstanceDocument? BuildDocument(DicomFile file, StoreCheck check)
    {
        if (_documents is null)
        {
            return null;
        }

        try
        {
            return _documents.Build(file, check.StudyInstanceUid!, check.SeriesInstanceUid!, check.SopInstanceUid!);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogDocumentFailure(ex.GetType().Name);
            return null;
        }
    }

    /// <summary>Copies the input after <paramref name="prefix"/>; null when the object exceeds <paramref name="maxSize"/> (0: no limit).</summary>
    /// <remarks><paramref name="readingInput"/> is true while the input is being read, so a caller can tell the input's failures from the hot tier's.</remarks>
    private static async Task<(string Sha256, long Size)?> ReceiveAsync(
        Stream content, IHotWrite write, byte[]? prefix, long maxSize, StrongBox<bool> readingInput, CancellationToken cancellationToken)
    {
        using var hashing = new HashingStream(write.Stream);
        if (prefix is not null)
        {
            await hashing.WriteAsync(prefix, cancellationToken).ConfigureAwait(false);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            while (true)
            {
                readingInput.Value = true;
                var read = await content.ReadAsync(buffer.AsMemory(0, CopyBufferSize), cancellationToken).ConfigureAwait(false);
                readingInput.Value = false;
                if (read == 0)
                {
                    break;
                }

                if (maxSize > 0 && hashing.BytesWritten + read > maxSize)
                {
                    return null;
                }

                await hashing.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        await hashing.FlushAsync(cancellationToken).ConfigureAwait(false);
        return (hashing.GetHashAndReset(), hashing.BytesWritten);
    }

    /// <summary>Writes the meta prefix and then the bare data set received in <paramref name="rawPath"/>, hashed.</summary>
    private static async Task<(string Sha256, long Size)> PrependAsync(byte[] prefix, string rawPath, IHotWrite write, CancellationToken cancellationToken)
    {
        var raw = new FileStream(rawPath, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (raw.ConfigureAwait(false))
        {
            using var hashing = new HashingStream(write.Stream);
            await hashing.WriteAsync(prefix, cancellationToken).ConfigureAwait(false);
            await raw.CopyToAsync(hashing, CopyBufferSize, cancellationToken).ConfigureAwait(false);
            await hashing.FlushAsync(cancellationToken).ConfigureAwait(false);
            return (hashing.GetHashAndReset(), hashing.BytesWritten);
        }
    }

    /// <summary>Writes <paramref name="file"/> (coerced) as a Part 10 file in its own transfer syntax, hashed.</summary>
    private static async Task<(string Sha256, long Size)> RewriteAsync(DicomFile file, string? sourceAeTitle, IHotWrite write, CancellationToken cancellationToken)
    {
        DicomDataset meta;
        if (file.HasFileMetaInformation)
        {
            // The Media Storage UIDs are taken from the data set again (they may have disagreed with it).
            meta = file.FileMetaInformation.Clone();
            meta.Remove(DicomTag.MediaStorageSOPClassUID);
            meta.Remove(DicomTag.MediaStorageSOPInstanceUID);
        }
        else
        {
            meta = DicomWriter.CreateFileMetaInformation(file.Dataset, file.TransferSyntax, sourceAeTitle);
        }

        using var hashing = new HashingStream(write.Stream);
        await DicomWriter.WriteFileAsync(hashing, new DicomFile(meta, file.Dataset, file.TransferSyntax), null, cancellationToken).ConfigureAwait(false);
        await hashing.FlushAsync(cancellationToken).ConfigureAwait(false);
        return (hashing.GetHashAndReset(), hashing.BytesWritten);
    }

    /// <summary>The SOP Class and Instance UIDs of a bare data set received without them being announced.</summary>
    private static async Task<StoreCheck> ReadIdentifiersAsync(string path, DicomTransferSyntax syntax, CancellationToken cancellationToken)
    {
        try
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                var options = new DicomReaderOptions { StopAtTag = AfterSopInstanceUid, SpoolDirectory = Path.GetDirectoryName(path) };
                using var header = await DicomReader.ReadDatasetAsync(stream, syntax, options, new FileBulkDataSource(path), cancellationToken).ConfigureAwait(false);
                var check = new StoreCheck
                {
                    SopClassUid = header.Dataset.GetString(DicomTag.SOPClassUID),
                    SopInstanceUid = header.Dataset.GetString(DicomTag.SOPInstanceUID),
                };
                return DicomUid.IsValid(check.SopClassUid) && DicomUid.IsValid(check.SopInstanceUid)
                    ? check
                    : check with { Failure = StoreFailure.InvalidUid, Reason = "The data set has no valid SOP Class UID (0008,0016) and SOP Instance UID (0008,0018), and none were announced." };
            }
        }
        catch (Exception ex) when (ex is DicomDataException or InvalidDataException or NotSupportedException)
        {
            return new StoreCheck { Failure = StoreFailure.CannotUnderstand, Reason = $"The data set is not valid DICOM: {ex.Message}" };
        }
    }

    /// <summary>
    /// Binary values from 1 KiB up (pixel data fragments included, however many) stay in the file, so the memory a store
    /// takes does not grow with the object; what must be spooled (a deflated data set) goes next to the temporary file.
    /// </summary>
    private static DicomReaderOptions ReaderOptions(IHotWrite write) =>
        new() { BulkDataThreshold = ReaderBulkDataThreshold, SpoolDirectory = Path.GetDirectoryName(write.TemporaryPath) };

    /// <summary>Writes an audit record; false (logged) when the sink failed, so that a deletion it should precede does not happen.</summary>
    private async Task<bool> AuditAsync(StoreRequest request, StoredInstance instance, string action, string reason, string? previousLocation)
    {
        var details = JsonSerializer.Serialize(
            new Dictionary<string, string?>
            {
                ["department"] = instance.SourceDepartment,
                ["seriesInstanceUid"] = instance.SeriesInstanceUid,
                ["sha256"] = instance.Sha256,
                ["location"] = instance.Location,
                ["previousLocation"] = previousLocation,
            },
            StoreJsonContext.Default.DictionaryStringString);
        var record = new AuditRecord
        {
            At = _timeProvider.GetUtcNow(),
            Actor = request.Actor,
            Action = action,
            StudyInstanceUid = instance.StudyInstanceUid,
            SopInstanceUid = instance.SopInstanceUid,
            Reason = reason,
            Details = details,
        };
        try
        {
            await _auditSink.WriteAsync(record, CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogAuditFailure(action, ex.GetType().Name);
            return false;
        }
    }

    private async Task DeleteQuietlyAsync(string location, string what)
    {
        try
        {
            await _hotStore.DeleteAsync(location, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            LogDeleteFailure(what, ex.GetType().Name);
            LogDeleteFailureDetail(what, location);
        }
    }

    private StoreResult Reject(StoreRequest request, StoreCheck check, StoreFailure failure, string reason)
    {
        LogRejected(request.Department, failure);
        LogRejectedDetail(failure, check.SopInstanceUid, reason);
        return new StoreResult
        {
            Status = StoreStatus.Rejected,
            Failure = failure,
            Reason = reason,
            StudyInstanceUid = check.StudyInstanceUid,
            SeriesInstanceUid = check.SeriesInstanceUid,
            SopClassUid = check.SopClassUid,
            SopInstanceUid = check.SopInstanceUid,
        };
    }

    // Logs: no PHI at Information or above; UIDs, locations and reasons (which name UIDs) at Debug only.
    [LoggerMessage(1, LogLevel.Information, "Stored an object from department {Department}: {Status}, {Size} bytes, coerced: {Coerced}.")]
    private partial void LogStored(string department, StoreStatus status, long size, bool coerced);

    [LoggerMessage(2, LogLevel.Debug, "{Status}: SOP instance {SopInstanceUid} of study {StudyInstanceUid} at {Location}.")]
    private partial void LogStoredDetail(StoreStatus status, string? sopInstanceUid, string? studyInstanceUid, string location);

    [LoggerMessage(3, LogLevel.Information, "Rejected an object from department {Department}: {Failure}.")]
    private partial void LogRejected(string department, StoreFailure failure);

    [LoggerMessage(4, LogLevel.Debug, "Rejected ({Failure}) SOP instance {SopInstanceUid}: {Reason}")]
    private partial void LogRejectedDetail(StoreFailure failure, string? sopInstanceUid, string? reason);

    [LoggerMessage(5, LogLevel.Warning, "The study coordinator failed to register an instance from department {Department} ({ExceptionType}); the object was refused and its new copy removed.")]
    private partial void LogCoordinatorFailure(string department, string exceptionType);

    [LoggerMessage(6, LogLevel.Debug, "Registration of SOP instance {SopInstanceUid} failed.")]
    private partial void LogCoordinatorFailureDetail(Exception exception, string? sopInstanceUid);

    [LoggerMessage(7, LogLevel.Error, "The coercion configuration of department {Department} cannot be applied: {Problem}")]
    private partial void LogCoercionConfiguration(string department, string problem);

    [LoggerMessage(8, LogLevel.Error, "The audit record '{Action}' could not be written ({ExceptionType}).")]
    private partial void LogAuditFailure(string action, string exceptionType);

    [LoggerMessage(9, LogLevel.Error, "A replaced copy from department {Department} was not deleted because its audit record could not be written; it is left for verification.")]
    private partial void LogPreviousCopyKept(string department);

    [LoggerMessage(10, LogLevel.Warning, "Could not delete a {What} copy on the hot tier ({ExceptionType}); it is left for verification.")]
    private partial void LogDeleteFailure(string what, string exceptionType);

    [LoggerMessage(11, LogLevel.Debug, "The {What} copy left on the hot tier is at {Location}.")]
    private partial void LogDeleteFailureDetail(string what, string location);

    [LoggerMessage(12, LogLevel.Error, "The hot tier failed while storing an object from department {Department} ({ExceptionType}).")]
    private partial void LogHotTierFailure(string department, string exceptionType);

    [LoggerMessage(13, LogLevel.Warning, "The metadata document of a stored object could not be made at ingest ({ExceptionType}); it will be made from the stored object.")]
    private partial void LogDocumentFailure(string exceptionType);
}
