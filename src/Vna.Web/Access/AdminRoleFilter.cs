using Microsoft.AspNetCore.Http;
using Vna.Web.Http;

namespace Vna.Web.Access;

/// <summary>
/// The endpoint filter behind <see cref="AdminAccess.RequireVnaRole{TBuilder}"/>: the same authentication as
/// <see cref="AccessFilter"/> (scheme, development mode, claims), then a role check instead of a read/write permission.
/// </summary>
internal sealed class AdminRoleFilter(IReadOnlyList<string> roles) : IEndpointFilter
{
    private const string CallerKey = "Vna.Web.AdminCaller";

    public static DicomWebCaller? CallerOf(HttpContext context) => context.Items[CallerKey] as DicomWebCaller;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var (caller, refusal) = await AccessFilter.AuthenticateAsync(http).ConfigureAwait(false);
        if (caller is null)
        {
            return refusal;
        }

        if (!caller.IsAdmin && !roles.Any(caller.Roles.Contains))
        {
            return Problems.Forbidden($"This operation needs the role {string.Join(" or ", roles.Append(DicomWebRole.Admin).Distinct(StringComparer.Ordinal).Select(r => $"'{r}'"))}.");
        }

        http.Items[CallerKey] = caller;
        return await next(context).ConfigureAwait(false);
    }
}
