namespace Vna.Core;

/// <summary>What <see cref="AttributeCoercer"/> did to a data set: the changes (tags only, never values), or why it could not.</summary>
internal sealed record CoercionResult(IReadOnlyList<string> Changes, string? Problem = null)
{
    public bool Changed => Changes.Count > 0;

    public bool Failed => Problem is not null;

    public static CoercionResult Fail(string problem) => new([], problem);
}
