using System.Globalization;
using System.Security.Cryptography;
using Vna.Core;
using Vna.Index.Postgres;

namespace Vna.Bench.QrFind;

/// <summary>
/// Fills the index with N studies of one CT or MR series of one instance each (half CT, half MR), one patient per study,
/// study dates spread over 2024, surnames from a list of 100 (so a three-letter prefix matches about 1 %).
/// </summary>
internal static class Seeder
{
    private static readonly string[] s_surnames =
    [
        "MUELLER", "SCHMIDT", "SCHNEIDER", "FISCHER", "WEBER", "MEYER", "WAGNER", "BECKER", "SCHULZ", "HOFFMANN",
        "SCHAEFER", "KOCH", "BAUER", "RICHTER", "KLEIN", "WOLF", "SCHROEDER", "NEUMANN", "SCHWARZ", "ZIMMERMANN",
        "BRAUN", "KRUEGER", "HOFMANN", "HARTMANN", "LANGE", "SCHMITT", "WERNER", "SCHMITZ", "KRAUSE", "MEIER",
        "LEHMANN", "SCHMID", "SCHULZE", "MAIER", "KOEHLER", "HERRMANN", "KOENIG", "WALTER", "MAYER", "HUBER",
        "KAISER", "FUCHS", "PETERS", "LANG", "SCHOLZ", "MOELLER", "WEISS", "JUNG", "HAHN", "SCHUBERT",
        "VOGEL", "FRIEDRICH", "KELLER", "GUENTHER", "FRANK", "BERGER", "WINKLER", "ROTH", "BECK", "LORENZ",
        "BAUMANN", "FRANKE", "ALBRECHT", "SCHUSTER", "SIMON", "LUDWIG", "BOEHM", "WINTER", "KRAUS", "MARTIN",
        "SCHUMACHER", "KRAEMER", "VOGT", "STEIN", "JAEGER", "OTTO", "SOMMER", "GROSS", "SEIDEL", "HEINRICH",
        "BRANDT", "HAAS", "SCHREIBER", "GRAF", "SCHULTE", "DIETRICH", "ZIEGLER", "KUHN", "KUEHN", "POHL",
        "ENGEL", "HORN", "BUSCH", "BERGMANN", "THOMAS", "VOIGT", "SAUER", "ARNOLD", "WOLFF", "PFEIFFER",
    ];

    public static async Task<SeededIndex> SeedAsync(PostgresIndexStore index, int studies, CancellationToken cancellationToken)
    {
        var run = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
        var batch = new List<StoredInstance>(1000);
        string? middleStudy = null;
        string? middlePatient = null;
        for (var n = 0; n < studies; n++)
        {
            var date = new DateOnly(2024, 1, 1).AddDays(n % 366);
            var study = $"2.25.{run}.{n}.1";
            var patient = string.Create(CultureInfo.InvariantCulture, $"PID{n:D7}");
            if (n == studies / 2)
            {
                (middleStudy, middlePatient) = (study, patient);
            }

            var ct = n % 2 == 0;
            batch.Add(new StoredInstance
            {
                Attributes = new InstanceAttributes
                {
                    PatientId = patient,
                    IssuerOfPatientId = "HOSP",
                    PatientName = string.Create(CultureInfo.InvariantCulture, $"{s_surnames[n % s_surnames.Length]}^PATIENT{n}"),
                    PatientBirthDate = "19600101",
                    PatientSex = n % 3 == 0 ? "F" : "M",
                    StudyInstanceUid = study,
                    StudyDate = date.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
                    StudyTime = "101500",
                    AccessionNumber = string.Create(CultureInfo.InvariantCulture, $"A{n:D8}"),
                    StudyDescription = ct ? "CT CHEST" : "MR BRAIN",
                    StudyId = "1",
                    ReferringPhysicianName = "REFERRER^ANNA",
                    SeriesInstanceUid = study + ".1",
                    Modality = ct ? "CT" : "MR",
                    SeriesNumber = "1",
                    SopClassUid = ct ? "1.2.840.10008.5.1.4.1.1.2" : "1.2.840.10008.5.1.4.1.1.4",
                    SopInstanceUid = study + ".1.1",
                    InstanceNumber = "1",
                },
                TransferSyntaxUid = "1.2.840.10008.1.2.1",
                Size = 525_000,
                Sha256 = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
                Tier = StorageTier.Hot,
                Location = $"studies/{study}/{study}.1/{study}.1.1.dcm",
                SourceDepartment = "default",
                ReceivedAt = DateTimeOffset.UtcNow,
            });

            if (batch.Count == batch.Capacity)
            {
                await index.UpsertInstancesAsync(batch, cancellationToken);
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            await index.UpsertInstancesAsync(batch, cancellationToken);
        }

        return new SeededIndex(studies, middlePatient!, middleStudy!, "MUE*", "20240615", "20240601-20240630");
    }
}
