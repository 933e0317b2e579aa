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

        if (options.SiloPort == options.GatewayPort)
        {
            throw new OptionsValidationException(nameof(VnaServerOptions), typeof(VnaServerOptions), ["Vna:SiloPort and Vna:GatewayPort must differ."]);
        }
    }
}
