using Microsoft.Extensions.DependencyInjection;

namespace Vna.Archive.Tiers;

/// <summary>
/// The clock of the tiers (moves, recalls, restore polling): a <see cref="TimeProvider"/> registered under
/// <see cref="ServiceKey"/> when there is one (time-travel tests put a fake there without slowing Orleans' own timers),
/// else the host's <see cref="TimeProvider"/>, else the system clock.
/// </summary>
public static class TiersClock
{
    public const string ServiceKey = "vna-tiers";

    public static TimeProvider Resolve(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.GetKeyedService<TimeProvider>(ServiceKey) ?? services.GetService<TimeProvider>() ?? TimeProvider.System;
    }
}
