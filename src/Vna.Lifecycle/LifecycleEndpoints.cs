using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vna.Archive.Grains;
using Vna.Archive.Lifecycle;
using Vna.Index.Postgres;
using Vna.Policies;
using Vna.Web.Access;

namespace Vna.Lifecycle;

/// <summary>
/// The compliance officer's admin API: policies (validate, preview, activate with confirmation, list, history,
/// deactivate), legal holds (place, release, list), the audit trail (list, verify) and the engine's report (a study's
/// lifecycle, evaluate now, retry a parked study, the parked list, a sweep). Every call needs the role
/// <c>compliance-officer</c> or <c>admin</c> (a bearer token checked as DICOMweb checks it; in the loopback-only
/// development mode, none). Who acts is the token's subject; in development mode, the <c>X-Vna-User</c> header.
/// </summary>
internal static class LifecycleEndpoints
{
    public const string UserHeader = "X-Vna-User";

    private const int MaxPolicyBytes = 1 << 20;

    public static IEndpointRouteBuilder MapVnaLifecycleEndpoints(this IEndpointRouteBuilder app)
    {
        var policies = app.MapGroup("/api/policies").RequireVnaRole(DicomWebRole.ComplianceOfficer);
        policies.MapGet("", ListPolicies);
        policies.MapGet("/history", HistoryAsync);
        policies.MapGet("/{name}", GetPolicy);
        policies.MapDelete("/{name}", DeactivateAsync);
        policies.MapPost("/validate", ValidateAsync);
        policies.MapPost("/preview", PreviewAsync);
        policies.MapPost("/activate", ActivateAsync);

        var holds = app.MapGroup("/api/holds").RequireVnaRole(DicomWebRole.ComplianceOfficer);
        holds.MapGet("", ListHoldsAsync);
        holds.MapPost("", PlaceHoldAsync);
        holds.MapPost("/{holdId}/release", ReleaseHoldAsync);

        var audit = app.MapGroup("/api/audit").RequireVnaRole(DicomWebRole.ComplianceOfficer);
        audit.MapGet("", ListAuditAsync);
        audit.MapGet("/verify", VerifyAuditAsync);

        var lifecycle = app.MapGroup("/api/lifecycle").RequireVnaRole(DicomWebRole.ComplianceOfficer);
        lifecycle.MapGet("", Overview);
        lifecycle.MapGet("/parked", ParkedAsync);
        lifecycle.MapPost("/sweep", Sweep);
        lifecycle.MapGet("/studies/{studyInstanceUid}", StudyAsync);
        lifecycle.MapPost("/studies/{studyInstanceUid}/evaluate", EvaluateAsync);
        lifecycle.MapPost("/studies/{studyInstanceUid}/retry", RetryAsync);
        return app;
    }

    private static IResult ListPolicies(PolicyCatalog catalog)
    {
        var set = catalog.Current;
        return TypedResults.Ok(new
        {
            version = set.Version,
            documents = set.Documents.Select(d => new
            {
                d.Name,
                d.Version,
                d.Description,
                d.Sha256,
                rules = d.Rules.Select(r => new { r.Name, r.Precedence, actions = r.Actions.Select(Describe) }),
                @default = d.Default?.Actions.Select(Describe),
            }),
        });
    }

    private static IResult GetPolicy(string name, PolicyCatalog catalog) =>
        catalog.Current.Documents.FirstOrDefault(d => d.Name == name) is { } document
            ? TypedResults.Text(document.Text, "application/yaml", Encoding.UTF8)
            : TypedResults.Problem(statusCode: 404, title: "No such policy", detail: $"No active policy document is named '{name}'.");

    private static async Task<IResult> HistoryAsync(PostgresPolicyStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.HistoryAsync(cancellationToken));

    private static async Task<IResult> DeactivateAsync(string name, string? reason, HttpRequest request, PolicyCatalog catalog, CancellationToken cancellationToken) =>
        await catalog.DeactivateAsync(name, Actor(request), reason, cancellationToken)
            ? TypedResults.Ok(new { deactivated = name, version = catalog.Current.Version })
            : TypedResults.Problem(statusCode: 404, title: "No such policy", detail: $"No active policy document is named '{name}'.");

    private static async Task<IResult> ValidateAsync(HttpRequest request, string? source, PolicyCatalog catalog, CancellationToken cancellationToken)
    {
        var text = await ReadTextAsync(request, cancellationToken);
        if (text is null)
        {
            return TooLarge();
        }

        try
        {
            var document = PolicyLoader.Parse(text, source ?? "policy");
            var set = catalog.Current.With(document); // also checks the set it would make (one default)
            return TypedResults.Ok(new { valid = true, document.Name, document.Version, rules = document.Rules.Count, hasDefault = document.Default is not null, set = set.Version });
        }
        catch (PolicyValidationException ex)
        {
            return Invalid(ex);
        }
    }

    private static async Task<IResult> PreviewAsync(HttpRequest request, int? days, int? limit, string? source, PolicyCatalog catalog, CancellationToken cancellationToken)
    {
        var text = await ReadTextAsync(request, cancellationToken);
        if (text is null)
        {
            return TooLarge();
        }

        if (days is < 0 or > 36500)
        {
            return TypedResults.Problem(statusCode: 400, title: "Bad window", detail: "days must be between 0 and 36500.");
        }

        try
        {
            var report = await catalog.PreviewAsync(text.Trim().Length == 0 ? null : text, source ?? "policy", days ?? 0, Math.Clamp(limit ?? 1000, 0, 100_000), cancellationToken);
            return TypedResults.Ok(report);
        }
        catch (PolicyValidationException ex)
        {
            return Invalid(ex);
        }
    }

    private static async Task<IResult> ActivateAsync(HttpRequest request, bool? confirm, string? reason, string? source, PolicyCatalog catalog, CancellationToken cancellationToken)
    {
        var text = await ReadTextAsync(request, cancellationToken);
        if (text is null)
        {
            return TooLarge();
        }

        try
        {
            var result = await catalog.ActivateAsync(text, source ?? "policy", Actor(request), reason, confirm == true, cancellationToken);
            if (result.NeedsConfirmation)
            {
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status409Conflict,
                    title: "Confirmation required",
                    detail: $"This policy would expire every study no legal hold protects ({result.Preview.StudiesExpiring} of {result.Preview.ArchiveStudies} within {result.Preview.Days} days). Nothing was changed; activate again with confirm=true to proceed.",
                    extensions: new Dictionary<string, object?> { ["preview"] = result.Preview, ["policyVersion"] = result.PolicyVersion });
            }

            return TypedResults.Ok(new { activated = true, policyVersion = result.PolicyVersion, preview = result.Preview });
        }
        catch (PolicyValidationException ex)
        {
            return Invalid(ex);
        }
    }

    private static async Task<IResult> ListHoldsAsync(bool? all, PostgresLifecycleStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.ListHoldsAsync(all == true, cancellationToken));

    private static async Task<IResult> PlaceHoldAsync(HoldRequest body, HttpRequest request, LegalHoldService holds, CancellationToken cancellationToken)
    {
        try
        {
            var hold = await holds.PlaceAsync(body.StudyInstanceUid, body.PatientId, body.IssuerOfPatientId, body.Reason ?? string.Empty, Actor(request), cancellationToken);
            return TypedResults.Created($"/api/holds/{hold.HoldId}", hold);
        }
        catch (ArgumentException ex)
        {
            return TypedResults.Problem(statusCode: 400, title: "Hold not placed", detail: ex.Message);
        }
    }

    private static async Task<IResult> ReleaseHoldAsync(string holdId, ReleaseRequest? body, HttpRequest request, LegalHoldService holds, CancellationToken cancellationToken)
    {
        var hold = await holds.ReleaseAsync(holdId, body?.Reason ?? string.Empty, Actor(request), cancellationToken);
        return hold is null
            ? TypedResults.Problem(statusCode: 404, title: "No such hold", detail: $"There is no hold '{holdId}'.")
            : TypedResults.Ok(hold);
    }

    private static async Task<IResult> ListAuditAsync(string? study, string? action, DateTimeOffset? since, long? after, int? limit, PostgresAuditSink audit, CancellationToken cancellationToken) =>
        TypedResults.Ok(await audit.ListAsync(new AuditQuery { StudyInstanceUid = study, Action = action, Since = since, AfterId = after ?? 0, Limit = limit ?? 100 }, cancellationToken));

    private static async Task<IResult> VerifyAuditAsync(PostgresAuditSink audit, CancellationToken cancellationToken)
    {
        var broken = await audit.VerifyAsync(cancellationToken);
        return TypedResults.Ok(new { intact = broken is null, firstBrokenId = broken });
    }

    private static IResult Overview(PolicyCatalog catalog, LifecycleCoordinator coordinator, LifecycleSweep sweep) =>
        TypedResults.Ok(new
        {
            policyVersion = catalog.Current.Version,
            migrations = new { running = coordinator.Running, capacity = coordinator.Capacity, peak = coordinator.Peak, deferredBusy = coordinator.Refused },
            sweep = new { running = sweep.Running, evaluated = sweep.Evaluated, failed = sweep.Failed },
        });

    private static async Task<IResult> ParkedAsync(PostgresLifecycleStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.ListParkedAsync(cancellationToken));

    private static IResult Sweep(LifecycleSweep sweep)
    {
        sweep.Request();
        return TypedResults.Accepted((string?)null, new { requested = true });
    }

    private static async Task<IResult> StudyAsync(string studyInstanceUid, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IStudyLifecycleGrain>(studyInstanceUid).GetLifecycleAsync());

    private static async Task<IResult> EvaluateAsync(string studyInstanceUid, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IStudyLifecycleGrain>(studyInstanceUid).EvaluateAsync());

    private static async Task<IResult> RetryAsync(string studyInstanceUid, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IStudyLifecycleGrain>(studyInstanceUid).RetryAsync());

    private static object Describe(PolicyAction action) => new
    {
        kind = action.Kind.ToString(),
        after = action.After.ToString(),
        since = action.Since.Select(s => s.ToString()),
        transferSyntax = action.TransferSyntaxUid,
        grace = action.Kind == PolicyActionKind.Expire ? action.Grace.ToString() : null,
    };

    private static string Actor(HttpRequest request) =>
        AdminAccess.AuthenticatedName(request.HttpContext) is { Length: > 0 } authenticated
            ? "user:" + authenticated
            : request.Headers[UserHeader].FirstOrDefault() is { Length: > 0 } user
            ? "user:" + user.Trim()
            : "http:" + (request.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown");

    private static async Task<string?> ReadTextAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var buffer = new char[MaxPolicyBytes + 1];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await reader.ReadAsync(buffer.AsMemory(read), cancellationToken);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        return read > MaxPolicyBytes ? null : new string(buffer, 0, read);
    }

    private static IResult TooLarge() =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Policy too large", detail: $"A policy document is at most {MaxPolicyBytes} characters.");

    private static IResult Invalid(PolicyValidationException ex) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status400BadRequest,
            title: "Invalid policy; nothing was changed",
            detail: ex.Message,
            extensions: new Dictionary<string, object?> { ["errors"] = ex.Errors.Select(e => new { e.Line, e.Column, e.Path, e.Message }).ToList() });
}
