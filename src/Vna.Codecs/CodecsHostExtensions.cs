using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Vna.Codecs.Transcoding;
using Vna.Core;

namespace Vna.Codecs;

/// <summary>Registers the codecs as the archive's <see cref="IInstanceTranscoder"/> (replacing the pass-through default).</summary>
public static class CodecsHostExtensions
{
    public static IHostApplicationBuilder AddVnaCodecs(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<CodecsOptions>().Bind(builder.Configuration.GetSection(CodecsOptions.SectionName));
        builder.Services.RemoveAll<IInstanceTranscoder>();
        builder.Services.AddSingleton<IInstanceTranscoder>(sp => new DicomInstanceTranscoder(sp.GetRequiredService<IOptions<CodecsOptions>>().Value));
        return builder;
    }
}
