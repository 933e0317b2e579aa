namespace Vna.Storage.Warm;

/// <summary>The patient of a study as its manifest records it.</summary>
public sealed record ManifestPatient(string PatientId, string IssuerOfPatientId, string PatientName, string PatientBirthDate, string PatientSex);
