namespace Vna.Archive.Tests.Grains;

/// <summary>Like <see cref="IStateTestGrain"/>, on a storage provider configured with DeleteStateOnClear.</summary>
public interface IDeletingStateTestGrain : IGrainWithStringKey
{
    Task SetValueAsync(string value, int count);

    Task ClearAsync();

    Task<StateSnapshot> GetAsync();
}
