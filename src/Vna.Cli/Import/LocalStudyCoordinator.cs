using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Vna.Core;
using Vna.Dicom;

namespace Vna.Cli.Import;

/// <summary>
/// A study coordinator for an in-process <c>vna import</c> while the archive's Orleans grains and PostgreSQL index are not
/// there: one append-only JSON Lines file per study (<c>&lt;data&gt;/local-index/&lt;Study UID&gt;.jsonl</c>, one
/// <see cref="StoredInstance"/> per line, the last line of a SOP Instance UID wins), fsync'd before it answers. It applies the
/// duplicate policy as the grains will: same checksum → duplicate; different → reject, keep the first or replace. One process
/// at a time (the import holds the data folder's lock).
/// </summary>
internal sealed class LocalStudyCoordinator : IStudyCoordinator, IDisposable
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly string _folder;
    private readonly DuplicatePolicy _policy;
    private readonly Dictionary<string, Dictionary<string, StoredInstance>> _studies = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);

    public LocalStudyCoordinator(string folder, DuplicatePolicy policy)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        _folder = folder;
        _policy = policy;
    }

    public async Task<IReadOnlyList<RegistrationResult>> RegisterAsync(
        string studyInstanceUid, IReadOnlyList<StoredInstance> instances, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instances);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var study = await LoadAsync(studyInstanceUid, cancellationToken).ConfigureAwait(false);
            var results = new List<RegistrationResult>(instances.Count);
            var appended = new List<StoredInstance>();
            foreach (var instance in instances)
            {
                if (!string.Equals(instance.StudyInstanceUid, studyInstanceUid, StringComparison.Ordinal))
                {
                    throw new ArgumentException("Every instance must belong to the study being registered.", nameof(instances));
                }

                if (!study.TryGetValue(instance.SopInstanceUid, out var existing))
                {
                    appended.Add(instance);
                    results.Add(new RegistrationResult(instance.SopInstanceUid, RegistrationOutcome.Registered));
                }
                else if (string.Equals(existing.Sha256, instance.Sha256, StringComparison.Ordinal))
                {
                    results.Add(new RegistrationResult(instance.SopInstanceUid, RegistrationOutcome.Duplicate, existing.Location));
                }
                else if (_policy == DuplicatePolicy.Replace)
                {
                    appended.Add(instance);
                    results.Add(new RegistrationResult(instance.SopInstanceUid, RegistrationOutcome.Replaced, existing.Location));
                }
                else if (_policy == DuplicatePolicy.KeepFirst)
                {
                    results.Add(new RegistrationResult(instance.SopInstanceUid, RegistrationOutcome.KeptFirst, instance.Location));
                }
                else
                {
                    results.Add(new RegistrationResult(instance.SopInstanceUid, RegistrationOutcome.RejectedConflict));
                }
            }

            if (appended.Count > 0)
            {
                await AppendAsync(studyInstanceUid, appended, cancellationToken).ConfigureAwait(false);
                foreach (var instance in appended)
                {
                    study[instance.SopInstanceUid] = instance;
                }
            }

            return results;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<StudySummary?> GetStudyAsync(string studyInstanceUid, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var study = await LoadAsync(studyInstanceUid, cancellationToken).ConfigureAwait(false);
            if (study.Count == 0)
            {
                return null;
            }

            var instances = study.Values;
            return new StudySummary
            {
                StudyInstanceUid = studyInstanceUid,
                InstanceCount = instances.Count,
                SeriesCount = instances.Select(i => i.SeriesInstanceUid).Distinct(StringComparer.Ordinal).Count(),
                TotalBytes = instances.Sum(i => i.Size),
                SourceDepartments = instances.Select(i => i.SourceDepartment).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
                LifecycleState = StudyLifecycleState.Active,
                OnLegalHold = false,
                FirstReceivedAt = instances.Min(i => i.ReceivedAt),
                LastReceivedAt = instances.Max(i => i.ReceivedAt),
            };
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private string PathOf(string studyInstanceUid) =>
        DicomUid.IsValid(studyInstanceUid)
            ? Path.Combine(_folder, studyInstanceUid + ".jsonl")
            : throw new ArgumentException("Not a valid Study Instance UID.", nameof(studyInstanceUid));

    private async Task<Dictionary<string, StoredInstance>> LoadAsync(string studyInstanceUid, CancellationToken cancellationToken)
    {
        if (_studies.TryGetValue(studyInstanceUid, out var study))
        {
            return study;
        }

        study = new Dictionary<string, StoredInstance>(StringComparer.Ordinal);
        var path = PathOf(studyInstanceUid);
        if (File.Exists(path))
        {
            var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
            var end = Array.LastIndexOf(bytes, (byte)'\n') + 1;
            if (end < bytes.Length)
            {
                // A line cut short by a crash while it was appended: that registration was never acknowledged. Drop it, so
                // the next line starts clean.
                var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read, 1, FileOptions.Asynchronous);
                await using (stream.ConfigureAwait(false))
                {
                    stream.SetLength(end);
                    stream.Flush(flushToDisk: true);
                }
            }

            var lines = Encoding.UTF8.GetString(bytes, 0, end).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            foreach (var line in lines)
            {
                try
                {
                    var instance = JsonSerializer.Deserialize<StoredInstance>(line, s_json) ?? throw new JsonException("A line holds null.");
                    study[instance.SopInstanceUid] = instance;
                }
                catch (JsonException ex)
                {
                    throw new InvalidDataException($"The local index {path} is corrupt: {ex.Message}", ex);
                }
            }
        }

        _studies[studyInstanceUid] = study;
        return study;
    }

    private async Task AppendAsync(string studyInstanceUid, List<StoredInstance> instances, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_folder);
        var text = new StringBuilder();
        foreach (var instance in instances)
        {
            text.Append(JsonSerializer.Serialize(instance, s_json)).Append('\n');
        }

        var stream = new FileStream(PathOf(studyInstanceUid), FileMode.Append, FileAccess.Write, FileShare.Read, 4096, FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(text.ToString()), cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
        }
    }
}
