using Microsoft.Extensions.DependencyInjection;

namespace Vna.Archive.Lifecycle;

/// <summary>
/// The lifecycle engine's clock: the <see cref="TimeProvider"/> registered under <see cref="ServiceKey"/> when there is
/// one (time-travel tests put a fake there so years pass while Orleans keeps real time), else the host's.
/// </summary>
public static class LifecycleClock
{
    public const string ServiceKey = "vna-lifecycle";

    public static TimeProvider From(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.GetKeyedService<TimeProvider>(ServiceKey) ?? services.GetService<TimeProvider>() ?? TimeProvider.System;
    }
}
