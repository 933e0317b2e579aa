using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Vna.Codecs.Transcoding;
using Vna.Core;

namespace Vna.Codecs;

/// <summary>Registers the codecs as the archive's <see cref="IInstanceTranscoder"/> (replacing the pass-through default).</summary>
public static class CodecsHostExtensions
{
    /// <param name="builder">The host.</param>
    /// <param name="defaultSealKeyFile">
    /// Where the archive's <see cref="CodestreamSeal"/> key lives when <c>Vna:Codecs:SealKeyFile</c> does not say (the server
    /// passes a file in its data folder, shared by its silos); made on first use. Null and unset: nothing is sealed.
    /// </param>
    public static IHostApplicationBuilder AddVnaCodecs(this IHostApplicationBuilder builder, string? defaultSealKeyFile = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = Read(builder.Configuration.GetSection(CodecsOptions.SectionName));
        options.SealKeyFile ??= defaultSealKeyFile;

        // Read now, not at the first transcode: a key file that cannot be used stops the server at start, saying which.
        var seal = options.SealKeyFile is { Length: > 0 } keyFile ? CodestreamSeal.LoadOrCreate(keyFile) : null;
        builder.Services.AddSingleton(options);
        builder.Services.RemoveAll<IInstanceTranscoder>();
        builder.Services.AddSingleton<IInstanceTranscoder>(_ => new DicomInstanceTranscoder(options, seal));
        return builder;
    }

    /// <summary>Reads the settings by hand (no reflection binding: the CLI that shares this assembly is published native AOT).</summary>
    internal static CodecsOptions Read(IConfiguration section)
    {
        var options = new CodecsOptions();
        options.MaxDegreeOfParallelism = Int(section, nameof(CodecsOptions.MaxDegreeOfParallelism)) ?? options.MaxDegreeOfParallelism;
        options.MaxFrameBytes = Long(section, nameof(CodecsOptions.MaxFrameBytes)) ?? options.MaxFrameBytes;
        options.InMemoryOutputLimit = Long(section, nameof(CodecsOptions.InMemoryOutputLimit)) ?? options.InMemoryOutputLimit;
        options.SpoolDirectory = section[nameof(CodecsOptions.SpoolDirectory)] ?? options.SpoolDirectory;
        options.JpegBaselineQuality = Double(section, nameof(CodecsOptions.JpegBaselineQuality)) ?? options.JpegBaselineQuality;
        options.Jpeg2000Ratio = Double(section, nameof(CodecsOptions.Jpeg2000Ratio)) ?? options.Jpeg2000Ratio;
        options.Htj2kRatio = Double(section, nameof(CodecsOptions.Htj2kRatio)) ?? options.Htj2kRatio;
        options.JpegLsNear = Int(section, nameof(CodecsOptions.JpegLsNear)) ?? options.JpegLsNear;
        options.PreferOpenJphDecoder = section[nameof(CodecsOptions.PreferOpenJphDecoder)] is { } p ? bool.Parse(p) : options.PreferOpenJphDecoder;
        options.SealKeyFile = section[nameof(CodecsOptions.SealKeyFile)] ?? options.SealKeyFile;
        return options;
    }

    private static int? Int(IConfiguration c, string key) => c[key] is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : null;

    private static long? Long(IConfiguration c, string key) => c[key] is { } v ? long.Parse(v, CultureInfo.InvariantCulture) : null;

    private static double? Double(IConfiguration c, string key) => c[key] is { } v ? double.Parse(v, CultureInfo.InvariantCulture) : null;
}
