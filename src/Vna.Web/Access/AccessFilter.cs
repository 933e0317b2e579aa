using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Vna.Web.Http;

namespace Vna.Web.Access;

/// <summary>
/// Authenticates every DICOMweb request (bearer token, or the loopback-only development mode), checks the endpoint's
/// permission and leaves the <see cref="DicomWebCaller"/> in <see cref="HttpContext.Items"/>. 401 and 403 are problem details.
/// </summary>
internal sealed class AccessFilter(DicomWebPermission permission) : IEndpointFilter
{
    public const string Scheme = "DicomWeb";
    private const string CallerKey = "Vna.Web.Caller";

    private static readonly DicomWebCaller s_development = new()
    {
        Name = "development",
        Roles = new HashSet<string>(StringComparer.Ordinal) { DicomWebRole.Admin },
        Departments = [DicomWebCaller.AllDepartments],
    };

    public static DicomWebCaller GetCaller(HttpContext context) =>
        context.Items[CallerKey] as DicomWebCaller ?? throw new InvalidOperationException("The DICOMweb access filter did not run.");

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var (caller, refusal) = await AuthenticateAsync(http).ConfigureAwait(false);
        if (caller is null)
        {
            return refusal;
        }

        var allowed = permission == DicomWebPermission.Write ? caller.CanWrite : caller.CanRead;
        if (!allowed)
        {
            return Problems.Forbidden(permission == DicomWebPermission.Write
                ? "Storing needs the role 'writer' or 'admin'."
                : "Searching and retrieving need the role 'reader', 'writer', 'compliance-officer' or 'admin'.");
        }

        http.Items[CallerKey] = caller;
        return await next(context).ConfigureAwait(false);
    }

    /// <summary>
    /// Who calls: the loopback caller in development mode, else the bearer token's subject, roles and departments; or the
    /// refusal (401 with a Bearer challenge, 403) when there is none. Shared with the admin API's <see cref="AdminRoleFilter"/>.
    /// </summary>
    internal static async ValueTask<(DicomWebCaller? Caller, IResult? Refusal)> AuthenticateAsync(HttpContext http)
    {
        var options = http.RequestServices.GetService<IOptionsMonitor<DicomWebOptions>>()?.CurrentValue.Authentication;
        if (options is null)
        {
            // Without the web feature there is no authentication to apply: refuse rather than serve unchecked.
            return (null, Problems.Forbidden("Access control is not configured on this server (the DICOMweb feature, AddVnaWeb, is not registered)."));
        }

        if (options.Mode == DicomWebAuthenticationMode.Development)
        {
            var remote = http.Connection.RemoteIpAddress;
            return remote is null || !System.Net.IPAddress.IsLoopback(remote)
                ? (null, Problems.Forbidden("The development mode serves loopback callers only."))
                : (s_development, null);
        }

        var result = await http.AuthenticateAsync(Scheme).ConfigureAwait(false);
        if (!result.Succeeded || result.Principal is null)
        {
            http.Response.Headers.WWWAuthenticate = result.Failure is null
                ? "Bearer"
                : "Bearer error=\"invalid_token\"";
            return (null, Problems.Unauthorized(result.Failure is null
                ? "A bearer token is required (Authorization: Bearer <JWT>)."
                : "The bearer token is not valid: " + result.Failure.GetType().Name + "."));
        }

        return (FromPrincipal(result.Principal, options), null);
    }

    /// <summary>True for the caller of the development mode (nobody authenticated).</summary>
    internal static bool IsDevelopment(DicomWebCaller caller) => ReferenceEquals(caller, s_development);

    internal static DicomWebCaller FromPrincipal(ClaimsPrincipal principal, DicomWebAuthenticationOptions options)
    {
        static IEnumerable<string> Values(ClaimsPrincipal principal, params string[] types) =>
            principal.Claims.Where(c => types.Contains(c.Type, StringComparer.Ordinal))
                .SelectMany(c => c.Value.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

        var roles = Values(principal, options.RoleClaim, ClaimTypes.Role, "role").Select(r => r.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        var departments = Values(principal, options.DepartmentClaim, "department").Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        var name = principal.FindFirst("sub")?.Value ?? principal.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? "token";
        return new DicomWebCaller { Name = name, Roles = roles, Departments = departments };
    }
}
