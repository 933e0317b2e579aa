using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Vna.Core;
using Vna.Web.Access;

namespace Vna.Server.Endpoints;

/// <summary>
/// The archive's own HTTP API for operators and the <c>vna</c> command: store one Part 10 object, look up a study or an
/// instance. DICOMweb (STOW-RS, QIDO-RS, WADO-RS) is a separate endpoint group.
/// </summary>
internal static class AdminEndpoints
{
    public const string DicomMediaType = "application/dicom";

    public static IEndpointRouteBuilder MapVnaAdminEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", () => TypedResults.Text("ok"));
        // The same access rules as DICOMweb: in Jwt mode a bearer token (storing: writer or admin, for the department it
        // stores for; looking up: a reader of the data's department); in development mode loopback callers only.
        var api = app.MapGroup("/api");
        api.MapPost("/instances", StoreAsync).RequireVnaPermission(DicomWebPermission.Write);
        api.MapGet("/studies/{studyInstanceUid}", GetStudyAsync).RequireVnaPermission(DicomWebPermission.Read);
        api.MapGet("/instances/{sopInstanceUid}", GetInstanceAsync).RequireVnaPermission(DicomWebPermission.Read);
        return app;
    }

    /// <summary>
    /// POST /api/instances with a Part 10 file as the body (Content-Type application/dicom). The department is chosen as
    /// for STOW-RS (<see cref="StoreDepartment"/>: the X-Vna-Department header, the token's one department, the archive's
    /// default; 403 when the caller may store for none). 200 only once the object is durable and indexed.
    /// </summary>
    private static async Task<IResult> StoreAsync(HttpRequest request, StoreService store, IOptionsMonitor<ArchiveOptions> options, CancellationToken cancellationToken)
    {
        if (!string.Equals(request.ContentType?.Split(';')[0].Trim(), DicomMediaType, StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported media type",
                detail: $"Send one DICOM Part 10 object with Content-Type: {DicomMediaType}.");
        }

        // The archive enforces its own limit (Archive:MaxObjectSize, 413) while it streams the object; Kestrel's default
        // request body limit (30,000,000 bytes) would refuse larger objects (multi-frame, whole-slide) with a 500.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = null;
        }

        // The same choice as STOW-RS: the X-Vna-Department header, else the token's one department, else the archive's
        // default — each only when the caller may store for it.
        var caller = AdminAccess.Caller(request.HttpContext);
        var (department, refusal) = StoreDepartment.Resolve(request, caller, options.CurrentValue);
        if (department is null)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "The object was not stored",
                detail: refusal,
                extensions: new Dictionary<string, object?> { ["failure"] = StoreFailure.NotAuthorized.ToString() });
        }

        var storeRequest = new StoreRequest
        {
            Department = department,
            // Who, for the audit trail: the token's subject ("development" in development mode) and the address it came from.
            Actor = $"http:{caller.Name}@{request.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown"}",
        };

        var result = await store.StoreAsync(request.Body, storeRequest, cancellationToken);
        var body = new StoreResponse(result.Status.ToString(), result.Failure == StoreFailure.None ? null : result.Failure.ToString(), result.Reason,
            result.StudyInstanceUid, result.SeriesInstanceUid, result.SopInstanceUid, result.Instance?.Sha256, result.Warnings);
        if (result.IsSuccess)
        {
            return TypedResults.Ok(body);
        }

        var status = result.Failure switch
        {
            StoreFailure.CannotUnderstand or StoreFailure.InvalidUid => StatusCodes.Status400BadRequest,
            StoreFailure.NotAuthorized => StatusCodes.Status403Forbidden,
            StoreFailure.DataSetDoesNotMatch or StoreFailure.SopClassNotSupported or StoreFailure.Conflict => StatusCodes.Status409Conflict,
            StoreFailure.OutOfResources when result.Reason?.Contains("larger than", StringComparison.Ordinal) == true => StatusCodes.Status413PayloadTooLarge,
            _ => StatusCodes.Status503ServiceUnavailable,
        };
        return TypedResults.Problem(
            statusCode: status,
            title: "The object was not stored",
            detail: result.Reason,
            extensions: new Dictionary<string, object?> { ["failure"] = result.Failure.ToString(), ["sopInstanceUid"] = result.SopInstanceUid });
    }

    /// <summary>GET /api/studies/{uid}: the study's summary, to a caller who may read at least one of its source departments.</summary>
    private static async Task<IResult> GetStudyAsync(HttpContext context, string studyInstanceUid, IStudyCoordinator coordinator, CancellationToken cancellationToken)
    {
        var summary = await coordinator.GetStudyAsync(studyInstanceUid, cancellationToken);
        if (summary is null)
        {
            return TypedResults.NotFound();
        }

        var caller = AdminAccess.Caller(context);
        return caller.SeesAllDepartments || summary.SourceDepartments.Any(caller.MayRead)
            ? TypedResults.Ok(summary)
            : OutOfScope();
    }

    /// <summary>GET /api/instances/{uid}: the instance's placement, to a caller who may read its source department.</summary>
    private static async Task<IResult> GetInstanceAsync(HttpContext context, string sopInstanceUid, IIndexStore index, CancellationToken cancellationToken)
    {
        var instance = await index.FindInstanceAsync(sopInstanceUid, cancellationToken);
        if (instance is not null && !AdminAccess.Caller(context).MayRead(instance.SourceDepartment))
        {
            return OutOfScope();
        }

        return instance is null
            ? TypedResults.NotFound()
            : TypedResults.Ok(new InstanceResponse(instance.StudyInstanceUid, instance.SeriesInstanceUid, instance.SopInstanceUid,
                instance.TransferSyntaxUid, instance.Size, instance.Sha256, instance.Tier.ToString(), instance.Location, instance.ReceivedAt));
    }

    private static IResult OutOfScope() => TypedResults.Problem(
        statusCode: StatusCodes.Status403Forbidden,
        title: "Forbidden",
        detail: "The caller's departments may not read this data.");
}
