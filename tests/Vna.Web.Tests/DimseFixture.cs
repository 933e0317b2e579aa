namespace Vna.Web.Tests;

/// <summary>A server whose DIMSE listener accepts the calling AE title <see cref="CallingAeTitle"/> for the default department.</summary>
public sealed class DimseFixture : WebServerFixture
{
    public const string CallingAeTitle = "WEBTEST";

    protected override string Name => "web-dimse";

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Archive__Departments__0__AeTitles__0"] = CallingAeTitle,
    };
}
