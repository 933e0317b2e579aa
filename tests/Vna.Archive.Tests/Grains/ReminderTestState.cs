namespace Vna.Archive.Tests.Grains;

/// <summary>Persistent state of <see cref="ReminderTestGrain"/>.</summary>
[GenerateSerializer]
[Alias("Vna.Archive.Tests.ReminderTestState")]
public sealed class ReminderTestState
{
    [Id(0)]
    public int Ticks { get; set; }

    [Id(1)]
    public string? LastTickSilo { get; set; }
}
