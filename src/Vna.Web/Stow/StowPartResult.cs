using Vna.Core;

namespace Vna.Web.Stow;

/// <summary>What happened to one part of a STOW-RS request.</summary>
internal sealed record StowPartResult(StoreResult? Result, string? PartProblem)
{
    public bool Succeeded => Result is { IsSuccess: true };
}
