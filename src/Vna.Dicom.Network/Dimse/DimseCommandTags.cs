namespace Vna.Dicom.Network;

/// <summary>The command elements of group 0000 (PS3.7 E.1) and their VRs.</summary>
public static class DimseCommandTags
{
    public static readonly DicomTag AffectedSopClassUid = new(0x0000, 0x0002);
    public static readonly DicomTag RequestedSopClassUid = new(0x0000, 0x0003);
    public static readonly DicomTag CommandField = new(0x0000, 0x0100);
    public static readonly DicomTag MessageId = new(0x0000, 0x0110);
    public static readonly DicomTag MessageIdBeingRespondedTo = new(0x0000, 0x0120);
    public static readonly DicomTag MoveDestination = new(0x0000, 0x0600);
    public static readonly DicomTag Priority = new(0x0000, 0x0700);
    public static readonly DicomTag CommandDataSetType = new(0x0000, 0x0800);
    public static readonly DicomTag Status = new(0x0000, 0x0900);
    public static readonly DicomTag OffendingElement = new(0x0000, 0x0901);
    public static readonly DicomTag ErrorComment = new(0x0000, 0x0902);
    public static readonly DicomTag ErrorId = new(0x0000, 0x0903);
    public static readonly DicomTag AffectedSopInstanceUid = new(0x0000, 0x1000);
    public static readonly DicomTag RequestedSopInstanceUid = new(0x0000, 0x1001);
    public static readonly DicomTag EventTypeId = new(0x0000, 0x1002);
    public static readonly DicomTag AttributeIdentifierList = new(0x0000, 0x1005);
    public static readonly DicomTag ActionTypeId = new(0x0000, 0x1008);
    public static readonly DicomTag NumberOfRemainingSubOperations = new(0x0000, 0x1020);
    public static readonly DicomTag NumberOfCompletedSubOperations = new(0x0000, 0x1021);
    public static readonly DicomTag NumberOfFailedSubOperations = new(0x0000, 0x1022);
    public static readonly DicomTag NumberOfWarningSubOperations = new(0x0000, 0x1023);
    public static readonly DicomTag MoveOriginatorAeTitle = new(0x0000, 0x1030);
    public static readonly DicomTag MoveOriginatorMessageId = new(0x0000, 0x1031);

    /// <summary>The VR of a group 0000 element; "UN" for one not listed.</summary>
    public static string VrOf(DicomTag tag) => tag.Element switch
    {
        0x0000 => "UL",
        0x0002 or 0x0003 or 0x1000 or 0x1001 => "UI",
        0x0100 or 0x0110 or 0x0120 or 0x0700 or 0x0800 or 0x0900 or 0x0903 or 0x1002 or 0x1008 or 0x1020 or 0x1021 or 0x1022 or 0x1023 or 0x1031 => "US",
        0x0600 or 0x1030 => "AE",
        0x0902 => "LO",
        0x0901 or 0x1005 => "AT",
        _ => "UN",
    };
}
