using Vna.Core;

namespace Vna.Archive.Serialization;

[RegisterConverter]
public sealed class RegistrationResultConverter : IConverter<RegistrationResult, RegistrationResultSurrogate>
{
    public RegistrationResult ConvertFromSurrogate(in RegistrationResultSurrogate s) =>
        new(s.SopInstanceUid, (RegistrationOutcome)s.Outcome, s.PreviousLocation);

    public RegistrationResultSurrogate ConvertToSurrogate(in RegistrationResult r) => new()
    {
        SopInstanceUid = r.SopInstanceUid,
        Outcome = (int)r.Outcome,
        PreviousLocation = r.PreviousLocation,
    };
}
