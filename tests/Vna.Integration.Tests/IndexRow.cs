namespace Vna.Integration.Tests;

/// <summary>One row of the archive's instance table, as the checks read it.</summary>
internal sealed record IndexRow(string SopInstanceUid, string StudyInstanceUid, string Sha256, string Location, long Size);
