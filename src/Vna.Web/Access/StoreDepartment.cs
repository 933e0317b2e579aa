using Microsoft.AspNetCore.Http;
using Vna.Core;

namespace Vna.Web.Access;

/// <summary>
/// Which department an HTTP store (STOW-RS, the archive's <c>POST /api/instances</c>) is for: the X-Vna-Department header,
/// the token's one department, or the archive's default — each only when the caller may write for it.
/// </summary>
public static class StoreDepartment
{
    public const string Header = "X-Vna-Department";

    /// <summary>The department, or the reason the caller may not store.</summary>
    public static (string? Department, string? Problem) Resolve(HttpRequest request, DicomWebCaller caller, ArchiveOptions archive)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(archive);
        var named = request.Headers[Header].FirstOrDefault()?.Trim();
        if (!string.IsNullOrEmpty(named))
        {
            return caller.MayWrite(named) ? (named, null) : (null, $"The caller may not store for department '{named}'.");
        }

        var own = caller.Departments.Where(d => d != DicomWebCaller.AllDepartments).ToArray();
        if (own.Length == 1 && caller.MayWrite(own[0]))
        {
            return (own[0], null);
        }

        if (own.Length > 1)
        {
            return (null, $"The caller acts for several departments: name one in the {Header} header.");
        }

        var fallback = archive.DefaultDepartment;
        return !string.IsNullOrWhiteSpace(fallback) && caller.MayWrite(fallback)
            ? (fallback, null)
            : (null, "The caller's token names no department it may store for, and the archive has no default department it may use.");
    }
}
