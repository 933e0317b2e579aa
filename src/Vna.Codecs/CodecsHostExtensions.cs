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
    public static IHostApplicationBuilder AddVnaCodecs(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = Read(builder.Configuration.GetSection(CodecsOptions.SectionName));
        builder.Services.AddSingleton(options);
        builder.Services.RemoveAll<IInstanceTranscoder>();
        builder.Services.AddSingleton<IInstanceTranscoder>(_ => new DicomInstanceTranscoder(options));
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
        return options;
    }

    private static int? Int(IConfiguration c, string key) => c[key] is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : null;

    private static long? Long(IConfiguration c, string key) => c[key] is { } v ? long.Parse(v, CultureInfo.InvariantCulture) : null;

    private static double? Double(IConfiguration c, string key) => c[key] is { } v ? double.Parse(v, CultureInfo.InvariantCulture) : null;
}
