using Microsoft.Extensions.Logging;

namespace Vna.Cli.Import;

/// <summary>Writes warnings and errors (which never carry PHI) to the command's error output; ignores the rest.</summary>
internal sealed class ErrorWriterLogger<T>(TextWriter error) : ILogger<T>
{
    private readonly Lock _gate = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (!IsEnabled(logLevel))
        {
            return;
        }

        lock (_gate)
        {
            error.WriteLine($"vna import: {logLevel.ToString().ToLowerInvariant()}: {formatter(state, null)}");
        }
    }
}
