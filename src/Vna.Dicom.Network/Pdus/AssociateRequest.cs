namespace Vna.Dicom.Network;

/// <summary>An A-ASSOCIATE-RQ (PS3.8 9.3.2) with the user information items of PS3.7 Annex D.</summary>
public sealed record AssociateRequest
{
    /// <summary>The DICOM application context (PS3.7 A.2.1).</summary>
    public const string DicomApplicationContext = "1.2.840.10008.3.1.1.1";

    /// <summary>The protocol version field as received (bit 0: version 1, the only one; PS3.8 9.3.2).</summary>
    public ushort ProtocolVersion { get; init; } = 1;

    public required string CalledAeTitle { get; init; }

    public required string CallingAeTitle { get; init; }

    public string ApplicationContext { get; init; } = DicomApplicationContext;

    public IReadOnlyList<PresentationContext> PresentationContexts { get; init; } = [];

    /// <summary>The largest P-DATA-TF PDU the requestor can receive (0: no limit).</summary>
    public uint MaxPduLength { get; init; } = DicomNetworkDefaults.MaxPduLength;

    public string ImplementationClassUid { get; init; } = DicomNetworkDefaults.ImplementationClassUid;

    public string? ImplementationVersionName { get; init; } = DicomNetworkDefaults.ImplementationVersionName;

    /// <summary>Asynchronous operations window (PS3.7 D.3.3.3): null when not proposed (1/1).</summary>
    public AsyncOperationsWindow? AsyncOperations { get; init; }

    public IReadOnlyList<RoleSelection> RoleSelections { get; init; } = [];

    public UserIdentity? UserIdentity { get; init; }

    /// <summary>Never prints the user identity's passcode.</summary>
    public override string ToString() =>
        $"A-ASSOCIATE-RQ {CallingAeTitle} -> {CalledAeTitle}, {PresentationContexts.Count} presentation contexts, max PDU {MaxPduLength}";
}
