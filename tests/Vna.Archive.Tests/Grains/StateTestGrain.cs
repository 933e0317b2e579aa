using Vna.Archive.Hosting;

namespace Vna.Archive.Tests.Grains;

public sealed class StateTestGrain(
    [PersistentState("test", OrleansPostgresExtensions.StudyStorageName)] IPersistentState<TestState> state)
    : Grain, IStateTestGrain
{
    private readonly Guid activationId = Guid.NewGuid();

    public async Task SetValueAsync(string value, int count)
    {
        state.State.Value = value;
        state.State.Count = count;
        state.State.History.Add(value);
        await state.WriteStateAsync();
    }

    public Task ClearAsync() => state.ClearStateAsync();

    public Task<StateSnapshot> GetAsync() =>
        Task.FromResult(new StateSnapshot(state.State.Value, state.State.Count, state.Etag, state.RecordExists, activationId));
}
