namespace Vna.Lifecycle;

/// <summary>The body of <c>POST /api/holds</c>: a study, or a patient (ID and issuer), and the reason.</summary>
public sealed record HoldRequest(string? StudyInstanceUid, string? PatientId, string? IssuerOfPatientId, string? Reason);
