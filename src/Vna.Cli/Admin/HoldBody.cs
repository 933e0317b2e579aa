namespace Vna.Cli.Admin;

/// <summary>The body of POST /api/holds.</summary>
internal sealed record HoldBody(string? StudyInstanceUid, string? PatientId, string? IssuerOfPatientId, string Reason);
