using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Vna.Archive.Lifecycle;
using Vna.Core;
using Vna.Lifecycle;
using Vna.Policies;

namespace Microsoft.Extensions.Hosting;

/// <summary>The lifecycle feature's one line in the host: <c>builder.AddVnaLifecycle();</c></summary>
public static class LifecycleHostingExtensions
{
    /// <summary>
    /// Registers the policies in force, the study grains' lifecycle engine services, legal holds, last access recording
    /// (replacing the no-op <see cref="IStudyAccessRecorder"/>), the sweep, DICOM audit messages to syslog when
    /// configured, and the admin endpoints under <c>/api/policies</c>, <c>/api/holds</c>, <c>/api/audit</c> and
    /// <c>/api/lifecycle</c>. Settings: section <c>Lifecycle</c>.
    /// </summary>
    /// <exception cref="OptionsValidationException">The settings are invalid (named in the message).</exception>
    public static WebApplicationBuilder AddVnaLifecycle(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Configuration.GetSection(LifecycleOptions.SectionName).Get<LifecycleOptions>() ?? new LifecycleOptions();
        var syslog = builder.Configuration.GetSection(SyslogOptions.SectionName).Get<SyslogOptions>() ?? new SyslogOptions();
        builder.Services.AddVnaLifecycleServices(options, syslog);
        builder.Services.AddSingleton<IStartupFilter, LifecycleStartupFilter>();
        return builder;
    }

    /// <summary>The feature's services without the endpoints (what tests host next to an in-process silo).</summary>
    public static IServiceCollection AddVnaLifecycleServices(this IServiceCollection services, LifecycleOptions options, SyslogOptions? syslog = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        Validate(options, syslog);
        services.AddSingleton(options);
        services.AddSingleton(sp => new PostgresLifecycleStore(sp.GetRequiredService<NpgsqlDataSource>()));
        services.AddSingleton<ILifecycleStore>(sp => sp.GetRequiredService<PostgresLifecycleStore>());
        services.AddSingleton(sp => new PostgresPolicyStore(sp.GetRequiredService<NpgsqlDataSource>()));
        services.AddSingleton<LifecycleCoordinator>();
        services.AddSingleton<LifecycleSweep>();
        services.AddHostedService(sp => sp.GetRequiredService<LifecycleSweep>());
        services.AddSingleton(sp => new PolicyCatalog(
            sp.GetRequiredService<PostgresPolicyStore>(),
            sp.GetRequiredService<PostgresLifecycleStore>(),
            sp.GetRequiredService<IAuditSink>(),
            options,
            sp.GetRequiredService<LifecycleSweep>(),
            LifecycleClock.From(sp),
            sp.GetRequiredService<ILogger<PolicyCatalog>>()));
        services.AddSingleton<IPolicyProvider>(sp => sp.GetRequiredService<PolicyCatalog>());
        services.AddHostedService<PolicyRefresher>();
        services.AddSingleton(sp => new BufferedStudyAccessRecorder(
            sp.GetRequiredService<PostgresLifecycleStore>(), options, LifecycleClock.From(sp), sp.GetRequiredService<ILogger<BufferedStudyAccessRecorder>>()));
        services.AddHostedService(sp => sp.GetRequiredService<BufferedStudyAccessRecorder>());
        services.AddSingleton<IStudyAccessRecorder>(sp => sp.GetRequiredService<BufferedStudyAccessRecorder>());
        RecordReads(services);
        services.AddSingleton(sp => new LegalHoldService(
            sp.GetRequiredService<PostgresLifecycleStore>(),
            sp.GetRequiredService<IGrainFactory>(),
            sp.GetRequiredService<IAuditSink>(),
            LifecycleClock.From(sp),
            sp.GetRequiredService<ILogger<LegalHoldService>>()));
        if (syslog is { Enabled: true })
        {
            services.AddSyslogAudit(syslog);
        }

        return services;
    }

    /// <summary>
    /// Wraps the content source registered so far (the tiers', or else the hot-tier default) so every read through it is
    /// recorded as an access. A feature registered after this one that replaces the content source again is not wrapped.
    /// </summary>
    private static void RecordReads(IServiceCollection services)
    {
        var previous = services.LastOrDefault(d => d.ServiceType == typeof(IInstanceContentSource) && !d.IsKeyedService);
        services.AddSingleton<IInstanceContentSource>(sp => new AccessRecordingContentSource(
            previous switch
            {
                { ImplementationInstance: IInstanceContentSource instance } => instance,
                { ImplementationFactory: { } factory } => (IInstanceContentSource)factory(sp),
                { ImplementationType: { } type } => (IInstanceContentSource)ActivatorUtilities.CreateInstance(sp, type),
                _ => ActivatorUtilities.CreateInstance<HotInstanceContentSource>(sp),
            },
            sp.GetRequiredService<IStudyAccessRecorder>()));
    }

    private static void Validate(LifecycleOptions options, SyslogOptions? syslog)
    {
        var problems = new List<string>();
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            problems.AddRange(results.Select(r => $"Lifecycle: {r.ErrorMessage}"));
        }

        if (options.MinReminderDelay <= TimeSpan.Zero || options.MaxReminderDelay < options.MinReminderDelay || options.MaxReminderDelay > TimeSpan.FromDays(45))
        {
            problems.Add("Lifecycle: MinReminderDelay must be positive and MaxReminderDelay between it and 45 days (Orleans' limit on a reminder's period).");
        }

        if (options.RetryBase <= TimeSpan.Zero || options.RetryMax < options.RetryBase || options.DeferredRetry <= TimeSpan.Zero || options.BusyRetry <= TimeSpan.Zero)
        {
            problems.Add("Lifecycle: RetryBase, DeferredRetry and BusyRetry must be positive, and RetryMax at least RetryBase.");
        }

        if (options.PolicyRefreshInterval <= TimeSpan.Zero || options.AccessFlushInterval <= TimeSpan.Zero)
        {
            problems.Add("Lifecycle: PolicyRefreshInterval and AccessFlushInterval must be positive.");
        }

        if (syslog is { Enabled: true })
        {
            problems.AddRange(syslog.Problems());
        }

        if (problems.Count > 0)
        {
            throw new OptionsValidationException(LifecycleOptions.SectionName, typeof(LifecycleOptions), problems);
        }
    }
}
