namespace Vna.Archive.Serialization;

[GenerateSerializer]
[Alias("vna.RegistrationResult")]
public struct RegistrationResultSurrogate
{
    [Id(0)] public string SopInstanceUid;
    [Id(1)] public int Outcome;
    [Id(2)] public string? PreviousLocation;
}
