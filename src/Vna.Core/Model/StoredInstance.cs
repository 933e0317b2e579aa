namespace Vna.Core;

/// <summary>
/// One instance the archive holds: what it is, how it is encoded, its checksum and where its copy lives.
/// Produced by the Store feature after the object is durable on the hot tier; registered with the study's coordinator.
/// </summary>
public sealed record StoredInstance
{
    public required InstanceAttributes Attributes { get; init; }

    public required string TransferSyntaxUid { get; init; }

    /// <summary>Size of the stored object in bytes (the Part 10 file).</summary>
    public required long Size { get; init; }

    /// <summary>SHA-256 of the stored object, lower-case hex.</summary>
    public required string Sha256 { get; init; }

    public required StorageTier Tier { get; init; }

    /// <summary>The tier's key for the object (a relative path on the hot tier, an object key on S3).</summary>
    public required string Location { get; init; }

    /// <summary>The department the instance came from (configuration name), for access and for policies.</summary>
    public required string SourceDepartment { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>
    /// The metadata document made at ingest, written with the instance's index row in one transaction; null otherwise
    /// (the study's coordinator does not keep it once the instance is indexed).
    /// </summary>
    public InstanceDocument? Document { get; init; }

    public string StudyInstanceUid => Attributes.StudyInstanceUid;

    public string SeriesInstanceUid => Attributes.SeriesInstanceUid;

    public string SopInstanceUid => Attributes.SopInstanceUid;
}
