using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Vna.Dimse;

namespace Microsoft.Extensions.Hosting;

/// <summary>The DIMSE front end's one line in the host: <c>builder.AddVnaDimse();</c></summary>
public static class DimseHostingExtensions
{
    /// <summary>
    /// Registers the DICOM listener (plain port, and the TLS port when configured), the access policy and the Storage SCP.
    /// Other DIMSE services register themselves as <see cref="Vna.Dicom.Network.IDimseService"/> singletons; the listener
    /// picks them up. Off when <c>Dimse:Enabled</c> is false.
    /// </summary>
    public static WebApplicationBuilder AddVnaDimse(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Configuration.GetSection(DimseOptions.SectionName).Get<DimseOptions>() ?? new DimseOptions();
        if (!options.Enabled)
        {
            return builder;
        }

        var vna = builder.Configuration.GetSection("Vna");
        var settings = new DimseSettings(
            options,
            options.AeTitle ?? vna["AeTitle"] ?? "VNA",
            options.Host ?? vna["DimseHost"] ?? "127.0.0.1",
            options.Port ?? (int.TryParse(vna["DimsePort"], out var port) ? port : Vna.Dicom.Network.DicomNetworkDefaults.Port));
        var problems = Validate(settings);
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(DimseOptions.SectionName, typeof(DimseOptions), problems);
        }

        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton<VnaAssociationPolicy>();
        builder.Services.AddSingleton<StorageScpService>();
        builder.Services.AddSingleton<DimseListener>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DimseListener>());
        return builder;
    }

    /// <summary>What is wrong with the DIMSE settings; empty when all is well.</summary>
    public static IReadOnlyList<string> Validate(DimseSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var problems = new List<string>();
        var options = settings.Options;
        foreach (var ae in settings.CalledAeTitles)
        {
            if (ae.Length is 0 or > 16 || ae.Contains('\\', StringComparison.Ordinal) || ae.Any(char.IsControl))
            {
                problems.Add($"'{ae}' is not an AE title (1 to 16 characters, no backslash or control characters).");
            }
        }

        if (settings.Port is < 0 or > 65535)
        {
            problems.Add($"Port {settings.Port} is out of range.");
        }

        if (options.TlsPort is { } tls && (tls is < 1 or > 65535 || string.IsNullOrEmpty(options.TlsCertificatePath)))
        {
            problems.Add("TlsPort needs a port from 1 to 65535 and TlsCertificatePath (PKCS#12, or PEM with TlsKeyPath).");
        }

        if (settings.Port == 0 && options.TlsPort is null)
        {
            problems.Add("Neither a plain Port nor a TlsPort is configured.");
        }

        if (options.MaxAssociations < 1)
        {
            problems.Add("MaxAssociations must be at least 1.");
        }

        if (options.ArtimTimeoutSeconds < 1 || options.IdleTimeoutSeconds < 1 || options.OperationTimeoutSeconds < 1)
        {
            problems.Add("The timeouts must be at least 1 second.");
        }

        if (options.RequireUserIdentity && options.Users.Count == 0)
        {
            problems.Add("RequireUserIdentity is set but no Users are configured.");
        }

        return problems;
    }
}
