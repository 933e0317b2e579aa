using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Vna.Core;
using Vna.Dicom.Network;
using Vna.Dimse.QueryRetrieve;

namespace Microsoft.Extensions.Hosting;

/// <summary>The query/retrieve and storage commitment services' one line in the host: <c>builder.AddVnaQueryRetrieve();</c></summary>
public static class QueryRetrieveHostingExtensions
{
    /// <summary>
    /// Registers C-FIND, C-MOVE/C-GET and the Storage Commitment SCP as <see cref="IDimseService"/>s (the DIMSE listener
    /// picks them up) with their settings (section <c>QueryRetrieve</c>). They read instances through
    /// <see cref="IInstanceContentSource"/> and transcode through <see cref="IInstanceTranscoder"/>, and keep storage
    /// commitment reports in <see cref="ICommitmentReportOutbox"/>, whichever the host registers.
    /// </summary>
    public static TBuilder AddVnaQueryRetrieve<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<QueryRetrieveOptions>()
            .Bind(builder.Configuration.GetSection(QueryRetrieveOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<CallerDepartment>();
        services.AddSingleton<FindService>();
        services.AddSingleton<InstanceResolver>();
        services.AddSingleton<RetrieveRunner>();
        services.AddSingleton<CommitmentEvaluator>();
        services.AddSingleton<CommitmentReporter>();
        services.AddHostedService<CommitmentReportSender>();
        services.AddSingleton<IDimseService, QueryService>();
        services.AddSingleton<IDimseService, RetrieveService>();
        services.AddSingleton<IDimseService, CommitmentService>();
        return builder;
    }
}
