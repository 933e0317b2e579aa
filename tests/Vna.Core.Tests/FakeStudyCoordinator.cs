namespace Vna.Core.Tests;

/// <summary>
/// An in-memory study coordinator with the duplicate policies' semantics (same SOP Instance UID and checksum: duplicate;
/// different checksum: per policy). Can be told to fail, to test that nothing is acknowledged or half-indexed then.
/// </summary>
internal sealed class FakeStudyCoordinator : IStudyCoordinator
{
    private readonly Dictionary<string, StoredInstance> _instances = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public DuplicatePolicy Policy { get; set; } = DuplicatePolicy.Reject;

    /// <summary>When set, RegisterAsync throws it (the index is unreachable).</summary>
    public Exception? Failure { get; set; }

    public int Calls { get; private set; }

    public IReadOnlyCollection<StoredInstance> Instances
    {
        get
        {
            lock (_gate)
            {
                return _instances.Values.ToList();
            }
        }
    }

    public StoredInstance? Find(string sopInstanceUid)
    {
        lock (_gate)
        {
            return _instances.GetValueOrDefault(sopInstanceUid);
        }
    }

    public Task<IReadOnlyList<RegistrationResult>> RegisterAsync(string studyInstanceUid, IReadOnlyList<StoredInstance> instances, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Calls++;
            if (Failure is not null)
            {
                throw Failure;
            }

            var results = new List<RegistrationResult>();
            foreach (var instance in instances)
            {
                Assert.Equal(studyInstanceUid, instance.StudyInstanceUid);
                if (!_instances.TryGetValue(instance.SopInstanceUid, out var existing))
                {
                    _instances[instance.SopInstanceUid] = instance;
                    results.Add(new RegistrationResult(instance.SopInstanceUid, RegistrationOutcome.Registered));
                }
                else if (existing.Sha256 == instance.Sha256)
                {
                    results.Add(new RegistrationResult(instance.SopInstanceUid, RegistrationOutcome.Duplicate));
                }
                else
                {
                    switch (Policy)
                    {
                        case DuplicatePolicy.Replace:
                            _instances[instance.SopInstanceUid] = instance;
                            results.Add(new RegistrationResult(instance.SopInstanceUid, RegistrationOutcome.Replaced, existing.Location));
                            break;
                        case DuplicatePolicy.KeepFirst:
                            results.Add(new RegistrationResult(instance.SopInstanceUid, RegistrationOutcome.KeptFirst, instance.Location));
                            break;
                        default:
                            results.Add(new RegistrationResult(instance.SopInstanceUid, RegistrationOutcome.RejectedConflict));
                            break;
                    }
                }
            }

            return Task.FromResult<IReadOnlyList<RegistrationResult>>(results);
        }
    }

    public Task<StudySummary?> GetStudyAsync(string studyInstanceUid, CancellationToken cancellationToken) =>
        throw new NotSupportedException();
}
