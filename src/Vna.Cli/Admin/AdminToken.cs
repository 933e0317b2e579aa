using System.Net.Http.Headers;

namespace Vna.Cli.Admin;

/// <summary>
/// The bearer token the admin commands (<c>vna policy|hold|audit|restore|recall|verify</c>) send, from the environment
/// variable <c>VNA_TOKEN</c> (never a command-line argument, which other users of the machine could read). A server in
/// JWT mode needs it; one in the loopback-only development mode ignores it.
/// </summary>
internal static class AdminToken
{
    public const string EnvironmentVariable = "VNA_TOKEN";

    public static void Apply(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Trim());
        }
    }
}
