using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using Vna.Core;

namespace Vna.Bench.Registration;

/// <summary>
/// Pre-built <see cref="StoredInstance"/> records shaped like a 512×512 CT series as the Store feature would register
/// them (attributes, checksum, hot-tier location), with fresh 2.25 UIDs, so that every cell registers new instances.
/// </summary>
internal static class SyntheticStudies
{
    private const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";
    private const string ExplicitVrLittleEndian = "1.2.840.10008.1.2.1";

    /// <summary>Size of a 512×512 16-bit CT Part 10 file (what gen-ct.py writes, about).</summary>
    private const long InstanceSize = 525_000;

    private static long _patientCounter;

    /// <summary>
    /// <paramref name="studies"/> studies of <paramref name="instancesPerStudy"/> instances, in study order (all of the
    /// first study, then the second…), each study one patient, series of <paramref name="seriesSize"/> instances.
    /// </summary>
    public static WorkItem[] Create(int studies, int instancesPerStudy, int seriesSize)
    {
        var items = new WorkItem[studies * instancesPerStudy];
        var receivedAt = DateTimeOffset.UtcNow;
        var n = 0;
        for (var s = 0; s < studies; s++)
        {
            var patient = Interlocked.Increment(ref _patientCounter).ToString("D8", CultureInfo.InvariantCulture);
            var studyUid = NewUid();
            var seriesUid = "";
            for (var i = 0; i < instancesPerStudy; i++)
            {
                if (i % seriesSize == 0)
                {
                    seriesUid = NewUid();
                }

                var sopUid = NewUid();
                var attributes = new InstanceAttributes
                {
                    PatientId = "BENCH" + patient,
                    PatientName = "Bench^Patient" + patient,
                    PatientBirthDate = "19700101",
                    PatientSex = "O",
                    StudyInstanceUid = studyUid,
                    StudyDate = "20261128",
                    StudyTime = "120000",
                    AccessionNumber = "A" + patient,
                    StudyDescription = "CT CHEST",
                    StudyId = "1",
                    ReferringPhysicianName = "Referring^Doctor",
                    SeriesInstanceUid = seriesUid,
                    Modality = "CT",
                    SeriesNumber = ((i / seriesSize) + 1).ToString(CultureInfo.InvariantCulture),
                    SeriesDescription = "AXIAL 1mm",
                    BodyPartExamined = "CHEST",
                    SopClassUid = CtImageStorage,
                    SopInstanceUid = sopUid,
                    InstanceNumber = ((i % seriesSize) + 1).ToString(CultureInfo.InvariantCulture),
                    SpecificCharacterSet = "ISO_IR 100",
                };
                items[n++] = new WorkItem(studyUid, new StoredInstance
                {
                    Attributes = attributes,
                    TransferSyntaxUid = ExplicitVrLittleEndian,
                    Size = InstanceSize,
                    Sha256 = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
                    Tier = StorageTier.Hot,
                    Location = $"studies/{studyUid}/{seriesUid}/{sopUid}.dcm",
                    SourceDepartment = "default",
                    ReceivedAt = receivedAt,
                });
            }
        }

        return items;
    }

    /// <summary>A UUID-derived UID (PS3.5 B.2): "2.25." and the UUID as an unsigned decimal integer.</summary>
    private static string NewUid() =>
        "2.25." + new BigInteger(Guid.NewGuid().ToByteArray(), isUnsigned: true).ToString(CultureInfo.InvariantCulture);
}
