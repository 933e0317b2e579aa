using System.Text.Json;
using System.Text.Json.Serialization;
using Vna.Core;

namespace Vna.Storage.Warm;

/// <summary>
/// What a tier holds of one study, written beside its objects (<c>studies/{Study}/manifest.json</c> in the warm bucket,
/// and inside and beside the cold bundle) so that the archive's index can be rebuilt from the buckets alone: the study's
/// patient and study attributes, every instance with its attributes, checksum and key, and the study's policy state.
/// </summary>
public sealed record StudyManifest
{
    public const int CurrentFormat = 1;

    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
        WriteIndented = false,
    };

    public int Format { get; init; } = CurrentFormat;

    public required string StudyInstanceUid { get; init; }

    /// <summary>The tier these objects are on.</summary>
    public required StorageTier Tier { get; init; }

    /// <summary>When the study was written to this tier.</summary>
    public required DateTimeOffset WrittenAt { get; init; }

    public required ManifestPatient Patient { get; init; }

    public required ManifestStudy Study { get; init; }

    /// <summary>The study's lifecycle as the study grain knew it (state, holds, next due action).</summary>
    public required ManifestPolicyState PolicyState { get; init; }

    public required IReadOnlyList<ManifestInstance> Instances { get; init; }

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, s_json);

    public static StudyManifest Parse(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize<StudyManifest>(json, s_json) ?? throw new JsonException("The manifest is empty.");

    /// <summary>The manifest of <paramref name="instances"/> (placed on <paramref name="tier"/>).</summary>
    public static StudyManifest Create(StorageTier tier, IReadOnlyList<StoredInstance> instances, ManifestPolicyState policyState, DateTimeOffset writtenAt)
    {
        ArgumentNullException.ThrowIfNull(instances);
        if (instances.Count == 0)
        {
            throw new ArgumentException("A manifest lists at least one instance.", nameof(instances));
        }

        var first = instances.OrderByDescending(i => i.ReceivedAt).First().Attributes;
        return new StudyManifest
        {
            StudyInstanceUid = first.StudyInstanceUid,
            Tier = tier,
            WrittenAt = writtenAt,
            Patient = new ManifestPatient(first.PatientId, first.IssuerOfPatientId, first.PatientName, first.PatientBirthDate, first.PatientSex),
            Study = new ManifestStudy(first.StudyDate, first.StudyTime, first.AccessionNumber, first.StudyDescription, first.StudyId,
                [.. instances.Select(i => i.Attributes.Modality).Where(m => m.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]),
            PolicyState = policyState,
            Instances = [.. instances.OrderBy(i => i.SeriesInstanceUid, StringComparer.Ordinal).ThenBy(i => i.SopInstanceUid, StringComparer.Ordinal)
                .Select(i => new ManifestInstance(i.Attributes, i.TransferSyntaxUid, i.Size, i.Sha256, i.Location, i.SourceDepartment, i.ReceivedAt))],
        };
    }

    /// <summary>The instances as placements on this manifest's tier.</summary>
    public IReadOnlyList<StoredInstance> ToStoredInstances() =>
        [.. Instances.Select(i => new StoredInstance
        {
            Attributes = i.Attributes,
            TransferSyntaxUid = i.TransferSyntaxUid,
            Size = i.Size,
            Sha256 = i.Sha256,
            Tier = Tier,
            Location = i.Key,
            SourceDepartment = i.SourceDepartment,
            ReceivedAt = i.ReceivedAt,
        })];
}
