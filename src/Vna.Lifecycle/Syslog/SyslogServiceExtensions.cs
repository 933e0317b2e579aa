using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vna.Core;
using Vna.Index.Postgres;

namespace Vna.Lifecycle;

/// <summary>Puts <see cref="SyslogAuditSink"/> in front of the audit trail.</summary>
internal static class SyslogServiceExtensions
{
    public static IServiceCollection AddSyslogAudit(this IServiceCollection services, SyslogOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton(sp => new SyslogAuditSink(sp.GetRequiredService<PostgresAuditSink>(), options, sp.GetRequiredService<ILogger<SyslogAuditSink>>()));
        services.AddHostedService(sp => sp.GetRequiredService<SyslogAuditSink>());
        services.AddSingleton<IAuditSink>(sp => sp.GetRequiredService<SyslogAuditSink>()); // the last registration wins
        return services;
    }
}
