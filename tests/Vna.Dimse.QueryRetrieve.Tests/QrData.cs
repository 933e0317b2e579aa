using System.Security.Cryptography;
using Vna.Core;
using Vna.Dicom;

namespace Vna.Dimse.QueryRetrieve.Tests;

/// <summary>UIDs, instances and identifiers for the query/retrieve tests.</summary>
internal static class QrData
{
    public const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";
    public const string MrImageStorage = "1.2.840.10008.5.1.4.1.1.4";

    private static readonly ulong s_run = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
    private static long s_counter = 1_000_000;

    public static string Uid() => $"2.25.{s_run}.{Interlocked.Increment(ref s_counter)}";

    public static StoredInstance Instance(
        string studyUid,
        string seriesUid,
        string? sopUid = null,
        Func<InstanceAttributes, InstanceAttributes>? attributes = null,
        string transferSyntax = "1.2.840.10008.1.2.1",
        StorageTier tier = StorageTier.Hot,
        string location = "")
    {
        var sop = sopUid ?? Uid();
        var a = new InstanceAttributes
        {
            PatientId = "P1",
            PatientName = "DOE^JOHN",
            PatientBirthDate = "19700101",
            PatientSex = "M",
            StudyInstanceUid = studyUid,
            StudyDate = "20240115",
            StudyTime = "101500",
            AccessionNumber = "ACC1",
            StudyDescription = "CT CHEST",
            SeriesInstanceUid = seriesUid,
            Modality = "CT",
            SeriesNumber = "1",
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
            TransferSyntaxUid = transferSyntax,
            Size = 1000,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(sop))),
            Tier = tier,
            Location = location.Length > 0 ? location : $"{studyUid}/{seriesUid}/{sop}.dcm",
            SourceDepartment = "radiology",
            ReceivedAt = new DateTimeOffset(2024, 1, 15, 10, 30, 0, TimeSpan.Zero),
        };
    }

    /// <summary>An identifier: each (tag, value) pair is a matching key, or a return key when the value is empty.</summary>
    public static DicomDataset Identifier(string level, params (DicomTag Tag, string Value)[] keys)
    {
        var dataset = new DicomDataset();
        dataset.AddOrUpdate(DicomTag.QueryRetrieveLevel, DicomVR.CS, level);
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
}
