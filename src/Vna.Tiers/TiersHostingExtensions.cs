using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Vna.Archive.Tiers;
using Vna.Core;
using Vna.Storage.Warm;
using Vna.Tiers;

namespace Microsoft.Extensions.Hosting;

/// <summary>The tiers feature's one line in the host: <c>builder.AddVnaTiers();</c></summary>
public static class TiersHostingExtensions
{
    /// <summary>
    /// Registers the warm and cold tiers when <c>Tiers:Enabled</c> is true: the S3 store, the study mover the grains
    /// use, the migration coordinator, journal and workers, recall, the content source every retrieval front end reads
    /// through, the index rebuild and the <c>/api/tiers</c> endpoints. Off, nothing is registered and moves are refused.
    /// </summary>
    /// <exception cref="OptionsValidationException">The settings are incomplete or invalid (named in the message).</exception>
    public static WebApplicationBuilder AddVnaTiers(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Configuration.GetSection(TiersOptions.SectionName).Get<TiersOptions>() ?? new TiersOptions();
        if (!options.Enabled)
        {
            return builder;
        }

        Validate(options);
        var dataDirectory = builder.Configuration["Vna:DataDirectory"] ?? "var";
        var scratch = PrepareScratch(Path.GetFullPath(options.ScratchDirectory ?? Path.Combine(dataDirectory, "tiers-tmp")));

        builder.Services.AddVnaTiersServices(options, scratch);
        builder.Services.AddSingleton<IStartupFilter, TiersStartupFilter>();
        return builder;
    }

    /// <summary>
    /// The tiers' services (everything but the HTTP endpoints): needs the host's <see cref="IHotStore"/>,
    /// <see cref="IIndexStore"/>, <see cref="IInstanceTranscoder"/>, <see cref="NpgsqlDataSource"/> and Orleans' grain factory.
    /// </summary>
    public static IServiceCollection AddVnaTiersServices(this IServiceCollection services, TiersOptions options, string scratch)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        services.AddSingleton(_ => new S3ObjectStore(options.S3));
        services.AddSingleton<MigrationCoordinator>();
        services.AddSingleton<IStudyTierMover>(sp => new TierMover(
            sp.GetRequiredService<IHotStore>(),
            sp.GetRequiredService<S3ObjectStore>(),
            sp.GetRequiredService<IInstanceTranscoder>(),
            sp.GetRequiredService<MigrationCoordinator>(),
            options,
            TiersClock.Resolve(sp),
            sp.GetRequiredService<ILogger<TierMover>>(),
            scratch));
        services.AddSingleton(sp => new PostgresMigrationJournal(sp.GetRequiredService<NpgsqlDataSource>()));
        services.AddSingleton<IMigrationJournal>(sp => sp.GetRequiredService<PostgresMigrationJournal>());
        services.AddSingleton(sp => new RecallCoordinator(sp.GetRequiredService<IGrainFactory>(), TiersClock.Resolve(sp)));
        services.AddHostedService(sp => new RecallPoller(sp.GetRequiredService<RecallCoordinator>(), options, TiersClock.Resolve(sp)));
        services.AddSingleton<MigrationService>();
        services.AddHostedService(sp => sp.GetRequiredService<MigrationService>());
        services.AddSingleton<IndexRebuilder>();
        services.AddSingleton<StudyVerifier>();
        // Replaces the hot-only default (registered with TryAdd after the features).
        services.AddSingleton<IInstanceContentSource, TieredInstanceContentSource>();
        return services;
    }

    /// <summary>
    /// This process's scratch folder, <c>ROOT/&lt;pid&gt;</c> (silos may share a data folder); folders of processes that
    /// are gone hold what a crash left half-built, never anything acknowledged, and are removed.
    /// </summary>
    private static string PrepareScratch(string root)
    {
        Directory.CreateDirectory(root);
        foreach (var folder in Directory.EnumerateDirectories(root))
        {
            var name = Path.GetFileName(folder);
            var alive = int.TryParse(name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid)
                && pid != Environment.ProcessId && Directory.Exists($"/proc/{pid}");
            if (!alive)
            {
                try
                {
                    Directory.Delete(folder, recursive: true);
                }
                catch (IOException)
                {
                    // Removed at a later start.
                }
            }
        }

        return Directory.CreateDirectory(Path.Combine(root, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture))).FullName;
    }

    private static void Validate(TiersOptions options)
    {
        var problems = new List<string>();
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            problems.AddRange(results.Select(r => $"Tiers: {r.ErrorMessage}"));
        }

        results.Clear();
        if (!Validator.TryValidateObject(options.S3, new ValidationContext(options.S3), results, validateAllProperties: true))
        {
            problems.AddRange(results.Select(r => $"Tiers:S3: {r.ErrorMessage}"));
        }

        if (options.S3.ServiceUrl.Length > 0 && !Uri.TryCreate(options.S3.ServiceUrl, UriKind.Absolute, out _))
        {
            problems.Add($"Tiers:S3:ServiceUrl '{options.S3.ServiceUrl}' is not an absolute URL.");
        }

        if (string.IsNullOrWhiteSpace(options.S3.WarmBucket) || string.IsNullOrWhiteSpace(options.S3.ColdBucket))
        {
            problems.Add("Tiers:S3:WarmBucket and Tiers:S3:ColdBucket must be set.");
        }

        if (problems.Count > 0)
        {
            throw new OptionsValidationException(TiersOptions.SectionName, typeof(TiersOptions), problems);
        }
    }
}
