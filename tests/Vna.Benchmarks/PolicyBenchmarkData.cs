using Vna.Core;
using Vna.Policies;

namespace Vna.Benchmarks;

/// <summary>
/// An archive of synthetic studies for the policy benchmarks (a fixed seed: every run sees the same archive): a hospital
/// mix of modalities, departments, descriptions and ages, study dates over the last 15 years, a third of the studies read
/// since they arrived, tiers that follow age, a few rejected and a few held; and the shipped policies.
/// </summary>
internal static class PolicyBenchmarkData
{
    public static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static readonly string[] Modalities = ["CT", "MR", "CR", "DX", "US", "MG", "NM", "PT", "XA", "OT"];
    private static readonly string[] Departments = ["radiology", "cardiology", "oncology", "emergency", "breast-imaging", "research"];
    private static readonly string[] Descriptions = ["CT CHEST WITHOUT CONTRAST", "MR BRAIN", "XR CHEST PA", "US ABDOMEN", "MAMMO SCREENING BILATERAL", "PET-CT WHOLE BODY", "Phase III trial baseline", "CT HEAD"];
    private static readonly string[] BodyParts = ["CHEST", "HEAD", "ABDOMEN", "BREAST", "PELVIS", "EXTREMITY"];

    public static PolicySet ShippedPolicies()
    {
        var folder = FindPolicies();
        return PolicySet.Create(Directory.EnumerateFiles(folder, "*.yaml").Order(StringComparer.Ordinal).Select(f => PolicyLoader.Parse(File.ReadAllText(f), Path.GetFileName(f))));
    }

    public static StudyFacts[] Studies(int count)
    {
        var random = new Random(20261128);
        var studies = new StudyFacts[count];
        for (var i = 0; i < count; i++)
        {
            var ageDays = random.Next(0, 15 * 365);
            var studyDate = DateOnly.FromDateTime(Now.UtcDateTime).AddDays(-ageDays);
            var birth = studyDate.AddDays(-random.Next(0, 90 * 365));
            var received = new DateTimeOffset(studyDate.ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero).AddDays(random.Next(0, 3));
            var modality = Modalities[random.Next(Modalities.Length)];
            studies[i] = new StudyFacts
            {
                StudyInstanceUid = "1.2.826.0.1.3680043.10.543." + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Modalities = [modality],
                Departments = [Departments[random.Next(Departments.Length)]],
                BodyParts = [modality == "MG" ? "BREAST" : BodyParts[random.Next(BodyParts.Length)]],
                SopClasses = [modality == "MG" ? "1.2.840.10008.5.1.4.1.1.1.2" : "1.2.840.10008.5.1.4.1.1.2"],
                StudyDescription = Descriptions[random.Next(Descriptions.Length)],
                StudyDate = studyDate,
                PatientBirthDate = birth,
                FirstReceivedAt = received,
                LastAccessAt = random.Next(3) == 0 ? received.AddDays(random.Next(0, Math.Max(1, ageDays))) : null,
                Tier = ageDays > 730 ? StorageTier.Cold : ageDays > 90 ? StorageTier.Warm : StorageTier.Hot,
                TotalBytes = random.NextInt64(1 << 20, 2L << 30),
                InstanceCount = random.Next(1, 2000),
                State = random.Next(500) == 0 ? StudyLifecycleState.Rejected : StudyLifecycleState.Active,
                RejectedAt = null,
                OnLegalHold = random.Next(1000) == 0,
            };
            if (studies[i].State == StudyLifecycleState.Rejected)
            {
                studies[i] = studies[i] with { RejectedAt = Now.AddDays(-random.Next(0, 40)) };
            }
        }

        return studies;
    }

    private static string FindPolicies()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "policies");
            if (File.Exists(Path.Combine(candidate, "default.yaml")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("policies/default.yaml not found above " + AppContext.BaseDirectory);
    }
}
