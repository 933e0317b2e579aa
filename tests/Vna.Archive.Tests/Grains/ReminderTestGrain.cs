using Orleans.Runtime;
using Vna.Archive.Hosting;

namespace Vna.Archive.Tests.Grains;

public sealed class ReminderTestGrain(
    [PersistentState("ticks", OrleansPostgresExtensions.StudyStorageName)] IPersistentState<ReminderTestState> state,
    ILocalSiloDetails silo)
    : Grain, IReminderTestGrain, IRemindable
{
    public const string ReminderName = "tick";

    public async Task StartAsync(TimeSpan period) =>
        await this.RegisterOrUpdateReminder(ReminderName, period, period);

    public async Task StopAsync()
    {
        var reminder = await this.GetReminder(ReminderName);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    public Task<TickReport> GetTicksAsync() =>
        Task.FromResult(new TickReport(state.State.Ticks, state.State.LastTickSilo, silo.SiloAddress.ToString()));

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        state.State.Ticks++;
        state.State.LastTickSilo = silo.SiloAddress.ToString();
        await state.WriteStateAsync();
    }
}
