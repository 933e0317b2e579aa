namespace Vna.Archive.Tests.Grains;

/// <summary>A grain that counts the ticks of one reminder in its persistent state.</summary>
public interface IReminderTestGrain : IGrainWithStringKey
{
    Task StartAsync(TimeSpan period);

    Task StopAsync();

    Task<TickReport> GetTicksAsync();
}
