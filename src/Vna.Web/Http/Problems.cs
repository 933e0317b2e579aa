using Microsoft.AspNetCore.Http;

namespace Vna.Web.Http;

/// <summary>The problem details (RFC 9457) every DICOMweb refusal is answered with.</summary>
internal static class Problems
{
    public static IResult Create(int status, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail, extensions: extensions);

    public static IResult BadRequest(string detail, IDictionary<string, object?>? extensions = null) =>
        Create(StatusCodes.Status400BadRequest, "Bad request", detail, extensions);

    public static IResult Unauthorized(string detail) => Create(StatusCodes.Status401Unauthorized, "Unauthorized", detail);

    public static IResult Forbidden(string detail) => Create(StatusCodes.Status403Forbidden, "Forbidden", detail);

    public static IResult NotFound(string detail) => Create(StatusCodes.Status404NotFound, "Not found", detail);

    public static IResult NotAcceptable(string detail) => Create(StatusCodes.Status406NotAcceptable, "Not acceptable", detail);

    public static IResult UnsupportedMediaType(string detail) => Create(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", detail);
}
