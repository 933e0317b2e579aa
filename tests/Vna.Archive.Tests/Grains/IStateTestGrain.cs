namespace Vna.Archive.Tests.Grains;

/// <summary>A grain whose only job is to keep a persistent value in the "studies" storage.</summary>
public interface IStateTestGrain : IGrainWithStringKey
{
    Task SetValueAsync(string value, int count);

    Task ClearAsync();

    Task<StateSnapshot> GetAsync();
}
