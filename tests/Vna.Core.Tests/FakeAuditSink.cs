namespace Vna.Core.Tests;

/// <summary>Collects audit records; runs a check when each is written (to see what still exists at that moment).</summary>
internal sealed class FakeAuditSink : IAuditSink
{
    private readonly List<AuditRecord> _records = [];

    public Action<AuditRecord>? OnWrite { get; set; }

    public IReadOnlyList<AuditRecord> Records => _records;

    public Task WriteAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        OnWrite?.Invoke(record);
        _records.Add(record);
        return Task.CompletedTask;
    }
}
