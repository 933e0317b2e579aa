namespace Vna.Core;

/// <summary>The coordinator's answer for one instance of a registration batch.</summary>
/// <param name="SopInstanceUid">The instance.</param>
/// <param name="Outcome">What happened.</param>
/// <param name="PreviousLocation">For <see cref="RegistrationOutcome.Replaced"/>: the location of the copy that was replaced (the caller deletes it after auditing); for conflicts that kept the first, the location of the new copy that was not kept.</param>
public sealed record RegistrationResult(string SopInstanceUid, RegistrationOutcome Outcome, string? PreviousLocation = null);
