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
        var options = http.RequestServices.GetRequiredService<IOptionsMonitor<DicomWebOptions>>().CurrentValue.Authentication;
        DicomWebCaller caller;
        if (options.Mode == DicomWebAuthenticationMode.Development)
        {
            var remote = http.Connection.RemoteIpAddress;
            if (remote is null || !System.Net.IPAddress.IsLoopback(remote))
            {
                return Problems.Forbidden("The development mode serves loopback callers only.");
            }

            caller = s_development;
        }
        else
        {
            var result = await http.AuthenticateAsync(Scheme).ConfigureAwait(false);
            if (!result.Succeeded || result.Principal is null)
            {
                http.Response.Headers.WWWAuthenticate = result.Failure is null
                    ? "Bearer"
                    : "Bearer error=\"invalid_token\"";
                return Problems.Unauthorized(result.Failure is null
                    ? "A bearer token is required (Authorization: Bearer <JWT>)."
                    : "The bearer token is not valid: " + result.Failure.GetType().Name + ".");
            }

            caller = FromPrincipal(result.Principal, options);
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
