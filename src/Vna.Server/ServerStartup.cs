using Microsoft.Extensions.Options;

namespace Vna.Server;

/// <summary>Checks of the settings that data annotations cannot express, run before anything starts.</summary>
internal static class ServerStartup
{
    public static void Validate(VnaServerOptions options)
    {
        if (!Uri.TryCreate(options.HttpUrl, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
        {
            throw new OptionsValidationException(nameof(VnaServerOptions), typeof(VnaServerOptions), [$"Vna:HttpUrl '{options.HttpUrl}' is not an http(s) URL."]);
        }

        var https = uri.Scheme == "https";
        if (https && string.IsNullOrEmpty(options.HttpsCertificatePath))
        {
            throw new OptionsValidationException(nameof(VnaServerOptions), typeof(VnaServerOptions), [$"Vna:HttpUrl '{options.HttpUrl}' is https but Vna:HttpsCertificatePath is not set (a PKCS#12 file, or a PEM certificate with Vna:HttpsKeyPath)."]);
        }

        if (!https && (!string.IsNullOrEmpty(options.HttpsCertificatePath) || !string.IsNullOrEmpty(options.HttpsKeyPath)))
        {
            // A certificate that would be ignored: the operator meant HTTPS and would get plain HTTP.
            throw new OptionsValidationException(nameof(VnaServerOptions), typeof(VnaServerOptions), [$"Vna:HttpsCertificatePath is set but Vna:HttpUrl '{options.HttpUrl}' is not https://: set Vna:HttpUrl to https://HOST:PORT, or remove the certificate settings."]);
        }

        if (options.SiloPort == options.GatewayPort)
        {
            throw new OptionsValidationException(nameof(VnaServerOptions), typeof(VnaServerOptions), ["Vna:SiloPort and Vna:GatewayPort must differ."]);
        }
    }
}
