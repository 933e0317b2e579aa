using Vna.Core;

namespace Vna.Archive.Serialization;

[GenerateSerializer]
[Alias("vna.StoredInstance")]
public struct StoredInstanceSurrogate
{
    [Id(0)] public InstanceAttributes Attributes;
    [Id(1)] public string TransferSyntaxUid;
    [Id(2)] public long Size;
    [Id(3)] public string Sha256;
    [Id(4)] public int Tier;
    [Id(5)] public string Location;
    [Id(6)] public string SourceDepartment;
    [Id(7)] public DateTimeOffset ReceivedAt;

    // The metadata document (StoredInstance.Document), flat; DocumentJson null when there is none.
    [Id(8)] public byte[]? DocumentJson;
    [Id(9)] public int? DocumentRows;
    [Id(10)] public int? DocumentColumns;
    [Id(11)] public int? DocumentBitsAllocated;
    [Id(12)] public int? DocumentNumberOfFrames;
}
