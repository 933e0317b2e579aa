using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vna.Core;
using Vna.Index.Postgres;

namespace Vna.Lifecycle;

/// <summary>
/// The audit sink when syslog is on: each record goes to the hash-chained trail first (which is what makes it "written
/// before it takes effect"), then, as a DICOM audit message, into a bounded queue a background sender drains to the
/// collector. A collector that is down never fails or slows an audited action; the trail keeps every record.
/// </summary>
public sealed partial class SyslogAuditSink(PostgresAuditSink trail, SyslogOptions options, ILogger<SyslogAuditSink> logger) : BackgroundService, IAuditSink
{
    private readonly Channel<AuditRecord> _queue = Channel.CreateBounded<AuditRecord>(new BoundedChannelOptions(options.QueueLimit)
    {
        FullMode = BoundedChannelFullMode.DropOldest,
        SingleReader = true,
    });

    private long _sent;

    /// <summary>Messages sent since start.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    public async Task WriteAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        await trail.WriteAsync(record, cancellationToken).ConfigureAwait(false);
        _queue.Writer.TryWrite(record);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var host = System.Net.Dns.GetHostName();
        var tcp = options.Protocol == "tcp";
        Socket? socket = null;
        try
        {
            await foreach (var record in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                var severity = record.Action.EndsWith("-parked", StringComparison.Ordinal) ? 3 : record.Action.EndsWith("-failed", StringComparison.Ordinal) ? 4 : 5;
                var frame = SyslogFrame.Format(DicomAuditMessage.Render(record, options.AuditSourceId), record.At, options.Facility, severity, host, options.AppName, octetCounting: tcp);
                for (var attempt = 0; attempt < 2; attempt++)
                {
                    try
                    {
                        socket ??= await ConnectAsync(tcp, stoppingToken).ConfigureAwait(false);
                        await socket.SendAsync(frame, SocketFlags.None, stoppingToken).ConfigureAwait(false);
                        Interlocked.Increment(ref _sent);
                        break;
                    }
                    catch (SocketException ex)
                    {
                        socket?.Dispose();
                        socket = null;
                        if (attempt == 1)
                        {
                            LogSendFailed(logger, ex.SocketErrorCode.ToString());
                        }
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            socket?.Dispose();
        }
    }

    private async Task<Socket> ConnectAsync(bool tcp, CancellationToken cancellationToken)
    {
        var socket = tcp
            ? new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true }
            : new Socket(SocketType.Dgram, ProtocolType.Udp);
        try
        {
            await socket.ConnectAsync(options.Host, options.Port, cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    [LoggerMessage(EventId = 3351, Level = LogLevel.Warning, Message = "A DICOM audit message could not be sent to syslog ({Error}); the audit trail holds the record")]
    private static partial void LogSendFailed(ILogger logger, string error);
}
