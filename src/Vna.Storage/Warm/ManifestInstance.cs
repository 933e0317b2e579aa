using Vna.Core;

namespace Vna.Storage.Warm;

/// <summary>One instance in a manifest: its indexed attributes, encoding, checksum and key on the tier.</summary>
public sealed record ManifestInstance(
    InstanceAttributes Attributes,
    string TransferSyntaxUid,
    long Size,
    string Sha256,
    string Key,
    string SourceDepartment,
    DateTimeOffset ReceivedAt);
