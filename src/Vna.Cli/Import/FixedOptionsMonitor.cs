using Microsoft.Extensions.Options;

namespace Vna.Cli.Import;

/// <summary>Options read once (a command runs with the configuration it started with).</summary>
internal sealed class FixedOptionsMonitor<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue => value;

    public T Get(string? name) => value;

    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
