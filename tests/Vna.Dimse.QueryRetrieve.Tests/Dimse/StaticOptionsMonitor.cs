using Microsoft.Extensions.Options;

namespace Vna.Dimse.QueryRetrieve.Tests.Dimse;

/// <summary>Options that never change, for services composed by hand in tests.</summary>
internal sealed class StaticOptionsMonitor<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue => value;

    public T Get(string? name) => value;

    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
