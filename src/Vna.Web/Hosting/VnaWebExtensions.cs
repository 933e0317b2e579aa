using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Npgsql;
using Vna.Core;
using Vna.Web.Access;
using Vna.Web.Metadata;
using Vna.Web.Qido;
using Vna.Web.Stow;
using Vna.Web.Wado;

namespace Vna.Web;

/// <summary>How the host adds DICOMweb: <c>builder.AddVnaWeb();</c> and <c>app.MapVnaWeb();</c>.</summary>
public static class VnaWebExtensions
{
    /// <summary>
    /// Registers DICOMweb's settings (section "DicomWeb"), bearer-token authentication, the metadata store, the builder of
    /// the metadata document the Store feature indexes with each instance, and the coordinator decorator that aggregates
    /// metadata at ingest for instances that come without one. Refuses a configuration that would expose the development
    /// mode beyond loopback or that names no way to check tokens.
    /// </summary>
    public static WebApplicationBuilder AddVnaWeb(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection(DicomWebOptions.SectionName);
        builder.Services.AddOptions<DicomWebOptions>().Bind(section);
        var options = section.Get<DicomWebOptions>() ?? new DicomWebOptions();
        Validate(options, builder.Configuration);

        builder.Services.TryAddSingleton<IInstanceMetadataStore>(sp => new PostgresInstanceMetadataStore(sp.GetRequiredService<NpgsqlDataSource>()));
        builder.Services.TryAddSingleton<IInstanceDocumentBuilder, DicomWebDocumentBuilder>();
        DecorateCoordinator(builder.Services);

        var auth = options.Authentication;
        builder.Services.AddAuthentication().AddJwtBearer(AccessFilter.Scheme, jwt =>
        {
            jwt.MapInboundClaims = false;
            jwt.Authority = auth.Authority;
            jwt.RequireHttpsMetadata = auth.Authority?.StartsWith("https://", StringComparison.OrdinalIgnoreCase) == true;
            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                ValidateIssuer = auth.Issuer is not null,
                ValidIssuer = auth.Issuer,
                ValidateAudience = auth.Audience is not null,
                ValidAudience = auth.Audience,
                ValidateLifetime = true,
                RequireExpirationTime = true,
                ClockSkew = TimeSpan.FromSeconds(30),
                RoleClaimType = auth.RoleClaim,
                IssuerSigningKey = auth.SigningKey is { Length: > 0 } key ? new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)) : null,
            };
        });
        return builder;
    }

    /// <summary>Maps the DICOMweb endpoints under <c>/dicomweb</c>.</summary>
    public static WebApplication MapVnaWeb(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.Services.GetRequiredService<IOptions<DicomWebOptions>>().Value;
        if (options.Authentication.Mode == DicomWebAuthenticationMode.Development)
        {
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Vna.Web").LogWarning(
                "DICOMweb runs in development mode: no tokens, every loopback caller is an administrator. Never use it beyond this machine.");
        }

        var web = app.MapGroup(DicomWebOptions.BasePath);
        var read = new AccessFilter(DicomWebPermission.Read);
        var write = new AccessFilter(DicomWebPermission.Write);

        // STOW-RS
        web.MapPost("/studies", (HttpContext c, CancellationToken ct) => StowHandler.HandleAsync(c, null, ct)).AddEndpointFilter(write);
        web.MapPost("/studies/{study}", (HttpContext c, string study, CancellationToken ct) => StowHandler.HandleAsync(c, study, ct)).AddEndpointFilter(write);

        // QIDO-RS
        web.MapGet("/studies", (HttpContext c, CancellationToken ct) => QidoHandler.HandleAsync(c, QueryLevel.Study, null, null, ct)).AddEndpointFilter(read);
        web.MapGet("/series", (HttpContext c, CancellationToken ct) => QidoHandler.HandleAsync(c, QueryLevel.Series, null, null, ct)).AddEndpointFilter(read);
        web.MapGet("/instances", (HttpContext c, CancellationToken ct) => QidoHandler.HandleAsync(c, QueryLevel.Image, null, null, ct)).AddEndpointFilter(read);
        web.MapGet("/studies/{study}/series", (HttpContext c, string study, CancellationToken ct) =>
            QidoHandler.HandleAsync(c, QueryLevel.Series, study, null, ct)).AddEndpointFilter(read);
        web.MapGet("/studies/{study}/instances", (HttpContext c, string study, CancellationToken ct) =>
            QidoHandler.HandleAsync(c, QueryLevel.Image, study, null, ct)).AddEndpointFilter(read);
        web.MapGet("/studies/{study}/series/{series}/instances", (HttpContext c, string study, string series, CancellationToken ct) =>
            QidoHandler.HandleAsync(c, QueryLevel.Image, study, series, ct)).AddEndpointFilter(read);

        // WADO-RS: objects
        web.MapGet("/studies/{study}", (HttpContext c, string study, CancellationToken ct) =>
            RetrieveHandler.HandleAsync(c, study, null, null, ct)).AddEndpointFilter(read);
        web.MapGet("/studies/{study}/series/{series}", (HttpContext c, string study, string series, CancellationToken ct) =>
            RetrieveHandler.HandleAsync(c, study, series, null, ct)).AddEndpointFilter(read);
        web.MapGet("/studies/{study}/series/{series}/instances/{sop}", (HttpContext c, string study, string series, string sop, CancellationToken ct) =>
            RetrieveHandler.HandleAsync(c, study, series, sop, ct)).AddEndpointFilter(read);

        // WADO-RS: metadata
        web.MapGet("/studies/{study}/metadata", (HttpContext c, string study, CancellationToken ct) =>
            MetadataHandler.HandleAsync(c, study, null, null, ct)).AddEndpointFilter(read);
        web.MapGet("/studies/{study}/series/{series}/metadata", (HttpContext c, string study, string series, CancellationToken ct) =>
            MetadataHandler.HandleAsync(c, study, series, null, ct)).AddEndpointFilter(read);
        web.MapGet("/studies/{study}/series/{series}/instances/{sop}/metadata", (HttpContext c, string study, string series, string sop, CancellationToken ct) =>
            MetadataHandler.HandleAsync(c, study, series, sop, ct)).AddEndpointFilter(read);

        // WADO-RS: frames and bulk data
        web.MapGet("/studies/{study}/series/{series}/instances/{sop}/frames/{frames}",
            (HttpContext c, string study, string series, string sop, string frames, CancellationToken ct) =>
                FramesHandler.HandleAsync(c, study, series, sop, frames, ct)).AddEndpointFilter(read);
        web.MapGet("/studies/{study}/series/{series}/instances/{sop}/bulkdata/{**path}",
            (HttpContext c, string study, string series, string sop, string path, CancellationToken ct) =>
                BulkDataHandler.HandleAsync(c, study, series, sop, path, ct)).AddEndpointFilter(read);
        // WADO-RS: rendered and thumbnails
        const string Instance = "/studies/{study}/series/{series}/instances/{sop}";
        foreach (var (suffix, thumbnail) in new[] { ("rendered", false), ("thumbnail", true) })
        {
            web.MapGet($"{Instance}/{suffix}", (HttpContext c, string study, string series, string sop, CancellationToken ct) =>
                RenderedHandler.HandleAsync(c, study, series, sop, null, thumbnail, ct)).AddEndpointFilter(read);
            web.MapGet($"{Instance}/frames/{{frame:int}}/{suffix}", (HttpContext c, string study, string series, string sop, int frame, CancellationToken ct) =>
                frame < 1 ? Task.FromResult(Http.Problems.BadRequest("Frame numbers start at 1.")) : RenderedHandler.HandleAsync(c, study, series, sop, frame, thumbnail, ct))
                .AddEndpointFilter(read);
            web.MapGet($"/studies/{{study}}/series/{{series}}/{suffix}", (HttpContext c, string study, string series, CancellationToken ct) =>
                RenderedHandler.HandleAsync(c, study, series, null, null, thumbnail, ct)).AddEndpointFilter(read);
            web.MapGet($"/studies/{{study}}/{suffix}", (HttpContext c, string study, CancellationToken ct) =>
                RenderedHandler.HandleAsync(c, study, null, null, null, thumbnail, ct)).AddEndpointFilter(read);
        }

        // WADO-URI
        web.MapGet("/wado", (HttpContext c, CancellationToken ct) => WadoUriHandler.HandleAsync(c, ct)).AddEndpointFilter(read);
        return app;
    }

    private static void Validate(DicomWebOptions options, IConfiguration configuration)
    {
        var auth = options.Authentication;
        if (auth.Mode == DicomWebAuthenticationMode.Development)
        {
            var url = configuration["Vna:HttpUrl"] ?? string.Empty;
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !(uri.IsLoopback || uri.Host == "127.0.0.1" || uri.Host == "[::1]"))
            {
                throw new OptionsValidationException(DicomWebOptions.SectionName, typeof(DicomWebOptions),
                    [$"DicomWeb:Authentication:Mode is Development, which serves loopback only, but Vna:HttpUrl is '{url}'. Configure bearer tokens (SigningKey or Authority)."]);
            }
        }
        else if (string.IsNullOrWhiteSpace(auth.SigningKey) && string.IsNullOrWhiteSpace(auth.Authority))
        {
            throw new OptionsValidationException(DicomWebOptions.SectionName, typeof(DicomWebOptions),
                ["DicomWeb:Authentication needs a SigningKey or an Authority to check bearer tokens (or Mode Development on a loopback-only server)."]);
        }
        else if (auth.SigningKey is { Length: > 0 } key && Encoding.UTF8.GetByteCount(key) < 32)
        {
            throw new OptionsValidationException(DicomWebOptions.SectionName, typeof(DicomWebOptions),
                ["DicomWeb:Authentication:SigningKey must be at least 32 bytes (HS256)."]);
        }

        if (options.MaxQueryLimit < 1 || options.DefaultQueryLimit < 1 || options.DefaultQueryLimit > options.MaxQueryLimit)
        {
            throw new OptionsValidationException(DicomWebOptions.SectionName, typeof(DicomWebOptions),
                ["DicomWeb:MaxQueryLimit and DefaultQueryLimit must be positive, the default no larger than the maximum."]);
        }
    }

    /// <summary>Wraps the registered <see cref="IStudyCoordinator"/> so each registration aggregates DICOMweb metadata.</summary>
    private static void DecorateCoordinator(IServiceCollection services)
    {
        var existing = services.LastOrDefault(d => d.ServiceType == typeof(IStudyCoordinator));
        if (existing is null)
        {
            throw new InvalidOperationException("AddVnaWeb needs the archive's IStudyCoordinator registered first.");
        }

        services.Remove(existing);
        services.Add(new ServiceDescriptor(typeof(IStudyCoordinator), sp =>
        {
            var inner = existing.ImplementationInstance as IStudyCoordinator
                ?? (existing.ImplementationFactory is { } factory ? (IStudyCoordinator)factory(sp)
                : (IStudyCoordinator)ActivatorUtilities.CreateInstance(sp, existing.ImplementationType!));
            return new MetadataCapturingCoordinator(inner, sp.GetRequiredService<IInstanceContentSource>(),
                sp.GetRequiredService<IInstanceMetadataStore>(), sp.GetRequiredService<ILogger<MetadataCapturingCoordinator>>());
        }, existing.Lifetime));
    }
}
