namespace Vna.Server;

internal static partial class ServerLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Database schema up to date ({Applied} migration(s) applied now)")]
    public static partial void Migrated(ILogger logger, int applied);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Hot tier reconciled: {Removed} temporary file(s) from an earlier run removed ({Bytes} bytes)")]
    public static partial void Reconciled(ILogger logger, int removed, long bytes);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Vna is running. HTTP {HttpUrl} (POST /api/instances with a DICOM file to store it; GET /api/studies/{{uid}}); silo port {SiloPort}, gateway {GatewayPort}; hot tier {HotRoot}")]
    public static partial void Listening(ILogger logger, string httpUrl, int siloPort, int gatewayPort, string hotRoot);
}
