using System.Collections.Concurrent;
using System.Diagnostics;
using Vna.Testing;

namespace Vna.Integration.Tests;

/// <summary>
/// Sends instances to a cluster's HTTP endpoints in turn (6 in flight), sending again — to the next live silo — whatever got
/// no answer or a 503 (not acknowledged), and, when armed, kills one silo with SIGKILL once enough are acknowledged and that
/// silo has posts in flight. Records what the cluster test reports.
/// </summary>
internal sealed class ClusterImport(IReadOnlyList<ServerProcess> servers, TestDatabase database, string dataDirectory) : IDisposable
{
    private const int InFlight = 6;
    private const int MaxAttempts = 30;

    private readonly HttpClient _http = ArchiveHttp.CreateClient();
    private readonly string _dataDirectory = dataDirectory;
    private readonly List<int> _alive = [.. Enumerable.Range(0, servers.Count)];
    private readonly Lock _lock = new();
    private readonly int[] _inFlight = new int[servers.Count];
    private int _turn;
    private int _victim = -1;
    private int _killAfter = int.MaxValue;
    private int _victimSiloPort;
    private string _clusterId = "";
    private TimeSpan _slowestAfterKill;
    private SyntheticInstance? _stallOnVictim;

    public Stopwatch Clock { get; } = Stopwatch.StartNew();

    public ConcurrentDictionary<string, string> Sent { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, string> Acknowledged { get; } = new(StringComparer.Ordinal);

    /// <summary>Each post that was not acknowledged: through which silo, what came back, when.</summary>
    public ConcurrentBag<(int Node, PostResult Result, TimeSpan At)> NotAcknowledged { get; } = [];

    /// <summary>Failures that a lost silo does not explain (anything but no answer or 503), or a file that never got through.</summary>
    public ConcurrentBag<string> Unexpected { get; } = [];

    /// <summary>Per study: how long after the kill the first post begun after the kill was acknowledged.</summary>
    public ConcurrentDictionary<string, TimeSpan> RecoveredAt { get; } = new(StringComparer.Ordinal);

    public TimeSpan? KilledAt { get; private set; }

    public int AcknowledgedAtKill { get; private set; }

    public int VictimInFlightAtKill { get; private set; }

    /// <summary>How long after the kill the membership table marked the victim Dead (null: not within 60 s).</summary>
    public Task<TimeSpan?>? Eviction { get; private set; }

    public TimeSpan SlowestAfterKill
    {
        get
        {
            lock (_lock)
            {
                return _slowestAfterKill;
            }
        }
    }

    /// <summary>What the upload stalled half-way to the victim at the kill got back (normally no answer).</summary>
    public PostResult? StalledResult { get; private set; }

    /// <summary>
    /// Kills <paramref name="victim"/> during the next <see cref="RunAsync"/> once <paramref name="afterAcknowledged"/> are
    /// acknowledged and it has posts in flight; just before, <paramref name="stallOnVictim"/> is sent to it half-way and left
    /// hanging, so the crash cuts an object off mid-receive (send it again afterwards).
    /// </summary>
    public void ArmKill(int victim, int afterAcknowledged, int victimSiloPort, string clusterId, SyntheticInstance stallOnVictim)
    {
        _stallOnVictim = stallOnVictim;
        _victim = victim;
        _killAfter = afterAcknowledged;
        _victimSiloPort = victimSiloPort;
        _clusterId = clusterId;
    }

    public async Task RunAsync(IEnumerable<SyntheticInstance> instances, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var killer = _victim >= 0 && KilledAt is null ? KillWhenDueAsync(stop.Token) : Task.CompletedTask;
        try
        {
            await Parallel.ForEachAsync(instances, new ParallelOptions { MaxDegreeOfParallelism = InFlight, CancellationToken = cancellationToken }, SendAsync);
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await killer;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // The import ended before the kill was due.
            }
        }
    }

    private async ValueTask SendAsync(SyntheticInstance instance, CancellationToken token)
    {
        var bytes = await SyntheticCt.EncodeAsync(instance, token);
        var uid = instance.SopInstanceUid!;
        Sent[uid] = SyntheticCt.Sha256(bytes);
        for (var attempt = 1; ; attempt++)
        {
            int node;
            lock (_lock)
            {
                node = _alive[(int)((uint)Interlocked.Increment(ref _turn) % (uint)_alive.Count)];
                _inFlight[node]++;
            }

            var begun = Clock.Elapsed;
            PostResult result;
            try
            {
                result = await ArchiveHttp.PostAsync(_http, servers[node].BaseAddress, bytes, token);
            }
            finally
            {
                lock (_lock)
                {
                    _inFlight[node]--;
                }
            }

            var ended = Clock.Elapsed;
            var killedAt = KilledAt;
            if (killedAt is not null && begun > killedAt)
            {
                lock (_lock)
                {
                    _slowestAfterKill = ended - begun > _slowestAfterKill ? ended - begun : _slowestAfterKill;
                }
            }

            if (result.Acknowledged)
            {
                Acknowledged[uid] = result.Sha256!;
                if (killedAt is not null && begun > killedAt)
                {
                    RecoveredAt.TryAdd(instance.Study.StudyInstanceUid, ended - killedAt.Value);
                }

                return;
            }

            NotAcknowledged.Add((node, result, ended));
            if (!result.Retryable)
            {
                Unexpected.Add($"{uid} via {servers[node].Settings.Name}: {result}");
                return;
            }

            if (attempt == MaxAttempts)
            {
                Unexpected.Add($"{uid}: still not acknowledged after {MaxAttempts} attempts: {result}");
                return;
            }

            await Task.Delay(250, token);
        }
    }

    private async Task KillWhenDueAsync(CancellationToken cancellationToken)
    {
        while (Acknowledged.Count < _killAfter)
        {
            await Task.Delay(2, cancellationToken);
        }

        var bytes = await SyntheticCt.EncodeAsync(_stallOnVictim!, cancellationToken);
        Sent[_stallOnVictim!.SopInstanceUid!] = SyntheticCt.Sha256(bytes);
        var stalled = await StalledUpload.StartAsync(_http, servers[_victim].BaseAddress, bytes, bytes.Length / 2, cancellationToken);
        // For the silo to take the request and start its temporary file (the folder is shared: any file will do; at most 15 s).
        var waited = Stopwatch.StartNew();
        do
        {
            await Task.Delay(50, cancellationToken);
        }
        while ((waited.Elapsed < TimeSpan.FromMilliseconds(300) || HotTier.TemporaryFiles(_dataDirectory).Count == 0) && waited.Elapsed < TimeSpan.FromSeconds(15));
        while (true)
        {
            lock (_lock)
            {
                if (_inFlight[_victim] > 0)
                {
                    AcknowledgedAtKill = Acknowledged.Count;
                    VictimInFlightAtKill = _inFlight[_victim];
                    _alive.Remove(_victim);
                    KilledAt = Clock.Elapsed;
                    break;
                }
            }

            await Task.Delay(1, cancellationToken);
        }

        var kill = servers[_victim].KillAsync(CancellationToken.None);
        Eviction = WaitForEvictionAsync(CancellationToken.None);
        await kill;
        await stalled.DisposeAsync();
        StalledResult = await stalled.Completion;
    }

    /// <summary>Polls the membership table until the victim's row is Dead (6): how long after the kill, or null after 60 s.</summary>
    private async Task<TimeSpan?> WaitForEvictionAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            var status = await database.ScalarAsync<int>(
                "SELECT coalesce(max(status), 0) FROM orleans_silo WHERE deployment_id = $1 AND port = $2", cancellationToken, _clusterId, _victimSiloPort);
            if (status == 6)
            {
                return clock.Elapsed;
            }

            await Task.Delay(50, cancellationToken);
        }

        return null;
    }

    public void Dispose() => _http.Dispose();
}
