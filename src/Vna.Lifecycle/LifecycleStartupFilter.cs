using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Vna.Lifecycle;

/// <summary>Serves the lifecycle's admin API from a pipeline branch of its own, so the host needs only <c>builder.AddVnaLifecycle()</c>.</summary>
internal sealed class LifecycleStartupFilter : IStartupFilter
{
    private static readonly string[] Prefixes = ["/api/policies", "/api/holds", "/api/audit", "/api/lifecycle"];

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.MapWhen(
            context => Prefixes.Any(p => context.Request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase)),
            branch =>
            {
                branch.UseRouting();
                branch.UseEndpoints(endpoints => endpoints.MapVnaLifecycleEndpoints());
            });
        next(app);
    };
}
