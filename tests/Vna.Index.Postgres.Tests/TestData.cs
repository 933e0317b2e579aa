using System.Security.Cryptography;
using Vna.Core;
using Vna.Dicom;

namespace Vna.Index.Postgres.Tests;

/// <summary>Instances, UIDs and identifiers for the index tests.</summary>
internal static class TestData
{
    public const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";
    public const string MrImageStorage = "1.2.840.10008.5.1.4.1.1.4";
    public const string ExplicitVrLittleEndian = "1.2.840.10008.1.2.1";

    private static readonly ulong s_run = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
    private static long s_counter = 1_000_000;

    /// <summary>
    /// A UID unique to this run: 2.25.&lt;random per run&gt;.&lt;counter&gt;. UIDs sort (ordinally) in the order they were
    /// made, so the index registers a batch's studies and series in that order (it sorts each batch by UID).
    /// </summary>
    public static string Uid() => $"2.25.{s_run}.{Interlocked.Increment(ref s_counter)}";

    /// <summary>A unique short text (patient IDs, accession numbers…).</summary>
    public static string Unique(string prefix) => prefix + Convert.ToHexString(RandomNumberGenerator.GetBytes(4));

    public static StoredInstance Instance(
        string studyUid,
        string seriesUid,
        string? sopUid = null,
        Func<InstanceAttributes, InstanceAttributes>? attributes = null,
        StorageTier tier = StorageTier.Hot,
        long size = 1000,
        string department = "radiology")
    {
        var sop = sopUid ?? Uid();
        var a = new InstanceAttributes
        {
            PatientId = "P1",
            IssuerOfPatientId = "HOSP",
            PatientName = "DOE^JOHN",
            PatientBirthDate = "19700101",
            PatientSex = "M",
            StudyInstanceUid = studyUid,
            StudyDate = "20240115",
            StudyTime = "101500",
            AccessionNumber = "ACC1",
            StudyDescription = "CT CHEST",
            StudyId = "S1",
            ReferringPhysicianName = "SMITH^ANNA",
            SeriesInstanceUid = seriesUid,
            Modality = "CT",
            SeriesNumber = "1",
            SeriesDescription = "AXIAL",
            BodyPartExamined = "CHEST",
            PerformedProcedureStepStartDate = "20240115",
            PerformedProcedureStepStartTime = "101000",
            SopClassUid = CtImageStorage,
            SopInstanceUid = sop,
            InstanceNumber = "1",
        };
        if (attributes is not null)
        {
            a = attributes(a);
        }

        return new StoredInstance
        {
            Attributes = a,
            TransferSyntaxUid = ExplicitVrLittleEndian,
            Size = size,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(sop))),
            Tier = tier,
            Location = $"{studyUid}/{seriesUid}/{sop}.dcm",
            SourceDepartment = department,
            ReceivedAt = new DateTimeOffset(2024, 1, 15, 10, 30, 0, TimeSpan.Zero),
        };
    }

    /// <summary>
    /// An identifier: each (tag, value) pair is a matching key, or a return key when the value is empty. A sequence
    /// tag with an empty value is an empty sequence (a return key).
    /// </summary>
    public static DicomDataset Identifier(params (DicomTag Tag, string Value)[] keys)
    {
        var dataset = new DicomDataset();
        foreach (var (tag, value) in keys)
        {
            var vr = DicomDictionary.Lookup(tag)?.VR ?? DicomVR.UN;
            if (vr == DicomVR.SQ)
            {
                dataset.AddOrUpdate(new DicomSequence(tag));
            }
            else
            {
                dataset.AddOrUpdate(tag, vr, value);
            }
        }

        return dataset;
    }

    public static IndexQuery Query(QueryLevel level, params (DicomTag Tag, string Value)[] keys) =>
        new() { Level = level, Identifier = Identifier(keys) };
}
