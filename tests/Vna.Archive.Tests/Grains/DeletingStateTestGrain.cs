namespace Vna.Archive.Tests.Grains;

public sealed class DeletingStateTestGrain(
    [PersistentState("test", TestSiloConfigurator.DeleteOnClearStorageName)] IPersistentState<TestState> state)
    : Grain, IDeletingStateTestGrain
{
    private readonly Guid activationId = Guid.NewGuid();

    public async Task SetValueAsync(string value, int count)
    {
        state.State.Value = value;
        state.State.Count = count;
        await state.WriteStateAsync();
    }

    public Task ClearAsync() => state.ClearStateAsync();

    public Task<StateSnapshot> GetAsync() =>
        Task.FromResult(new StateSnapshot(state.State.Value, state.State.Count, state.Etag, state.RecordExists, activationId));
}
