namespace Vna.Core;

/// <summary>Where audit records go. A record is written before the action it describes takes effect.</summary>
public interface IAuditSink
{
    Task WriteAsync(AuditRecord record, CancellationToken cancellationToken);
}
