using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Vna.Tiers;

/// <summary>Serves <c>/api/tiers</c> from a pipeline branch of its own, so the host needs only <c>builder.AddVnaTiers()</c>.</summary>
internal sealed class TiersStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.MapWhen(
            context => context.Request.Path.StartsWithSegments("/api/tiers", StringComparison.OrdinalIgnoreCase),
            branch =>
            {
                branch.UseRouting();
                branch.UseEndpoints(endpoints => endpoints.MapVnaTiersEndpoints());
            });
        next(app);
    };
}
