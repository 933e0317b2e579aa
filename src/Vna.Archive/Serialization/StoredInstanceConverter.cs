using Vna.Core;

namespace Vna.Archive.Serialization;

[RegisterConverter]
public sealed class StoredInstanceConverter : IConverter<StoredInstance, StoredInstanceSurrogate>
{
    public StoredInstance ConvertFromSurrogate(in StoredInstanceSurrogate s) => new()
    {
        Attributes = s.Attributes,
        TransferSyntaxUid = s.TransferSyntaxUid,
        Size = s.Size,
        Sha256 = s.Sha256,
        Tier = (StorageTier)s.Tier,
        Location = s.Location,
        SourceDepartment = s.SourceDepartment,
        ReceivedAt = s.ReceivedAt,
        Document = s.DocumentJson is null ? null : new InstanceDocument
        {
            Json = s.DocumentJson,
            Rows = s.DocumentRows,
            Columns = s.DocumentColumns,
            BitsAllocated = s.DocumentBitsAllocated,
            NumberOfFrames = s.DocumentNumberOfFrames,
        },
    };

    public StoredInstanceSurrogate ConvertToSurrogate(in StoredInstance i) => new()
    {
        Attributes = i.Attributes,
        TransferSyntaxUid = i.TransferSyntaxUid,
        Size = i.Size,
        Sha256 = i.Sha256,
        Tier = (int)i.Tier,
        Location = i.Location,
        SourceDepartment = i.SourceDepartment,
        ReceivedAt = i.ReceivedAt,
        DocumentJson = i.Document?.Json,
        DocumentRows = i.Document?.Rows,
        DocumentColumns = i.Document?.Columns,
        DocumentBitsAllocated = i.Document?.BitsAllocated,
        DocumentNumberOfFrames = i.Document?.NumberOfFrames,
    };
}
