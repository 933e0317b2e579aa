namespace Vna.Bench.QrFind;

/// <summary>What the seeded index holds that the queries name: one patient's ID, one study's UID, a name prefix, a day, a month.</summary>
internal sealed record SeededIndex(int Studies, string PatientId, string StudyInstanceUid, string NamePattern, string OneDay, string OneMonth);
