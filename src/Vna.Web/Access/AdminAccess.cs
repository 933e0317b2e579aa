using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Vna.Web.Access;

/// <summary>
/// The DICOMweb access rules applied to the archive's admin API (<c>/api/policies</c>, <c>/api/holds</c>,
/// <c>/api/audit</c>, <c>/api/lifecycle</c>, <c>/api/tiers</c>): in <c>Jwt</c> mode a bearer token with one of the
/// endpoint's roles (or <c>admin</c>), checked exactly as DICOMweb checks it; in <c>Development</c> mode loopback callers
/// only. Features call <see cref="RequireVnaRole{TBuilder}"/> on their route groups and read who acts with
/// <see cref="AuthenticatedName"/>.
/// </summary>
public static class AdminAccess
{
    /// <summary>Requires an authenticated caller holding one of <paramref name="roles"/> (<c>admin</c> always passes).</summary>
    public static TBuilder RequireVnaRole<TBuilder>(this TBuilder builder, params string[] roles)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(roles);
        return builder.AddEndpointFilter(new AdminRoleFilter([.. roles]));
    }

    /// <summary>
    /// Requires an authenticated caller with the DICOMweb <paramref name="permission"/> (read: reader, writer,
    /// compliance-officer or admin; write: writer or admin), checked exactly as DICOMweb checks it; the handler then reads
    /// the caller, with its departments, from <see cref="Caller"/>.
    /// </summary>
    public static TBuilder RequireVnaPermission<TBuilder>(this TBuilder builder, DicomWebPermission permission)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddEndpointFilter(new AccessFilter(permission));
    }

    /// <summary>The caller <see cref="RequireVnaPermission{TBuilder}"/> let in (in development mode: every department, admin).</summary>
    public static DicomWebCaller Caller(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return AccessFilter.GetCaller(context);
    }

    /// <summary>
    /// The authenticated caller's name (the token's subject) once <see cref="RequireVnaRole{TBuilder}"/> let the request
    /// in; null in development mode, where no one is authenticated (the caller may then name itself, e.g. X-Vna-User).
    /// </summary>
    public static string? AuthenticatedName(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return AdminRoleFilter.CallerOf(context) is { } caller && !AccessFilter.IsDevelopment(caller) ? caller.Name : null;
    }
}
