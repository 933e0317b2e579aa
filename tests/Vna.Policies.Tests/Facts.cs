using Vna.Core;

namespace Vna.Policies.Tests;

/// <summary>Study facts for the tests.</summary>
internal static class Facts
{
    public static readonly DateTimeOffset Ingest = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    public static StudyFacts Study(
        string modality = "CT",
        string department = "radiology",
        string studyDate = "20260105",
        string birthDate = "19700101",
        string description = "CT CHEST",
        string bodyPart = "CHEST",
        string sopClass = "1.2.840.10008.5.1.4.1.1.2",
        StorageTier tier = StorageTier.Hot) => new()
        {
            StudyInstanceUid = "1.2.3." + Guid.NewGuid().ToString("N")[..8],
            Modalities = [modality],
            Departments = [department],
            BodyParts = [bodyPart],
            SopClasses = [sopClass],
            StudyDescription = description,
            StudyDate = StudyFacts.ParseDicomDate(studyDate),
            PatientBirthDate = StudyFacts.ParseDicomDate(birthDate),
            FirstReceivedAt = Ingest,
            Tier = tier,
            TotalBytes = 1000,
            InstanceCount = 2,
        };
}
