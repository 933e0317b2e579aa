namespace Vna.Dicom.Network;

/// <summary>An A-ASSOCIATE-AC (PS3.8 9.3.3).</summary>
public sealed record AssociateAccept
{
    public required string CalledAeTitle { get; init; }

    public required string CallingAeTitle { get; init; }

    public string ApplicationContext { get; init; } = AssociateRequest.DicomApplicationContext;

    public IReadOnlyList<PresentationContextAnswer> PresentationContexts { get; init; } = [];

    /// <summary>The largest P-DATA-TF PDU the acceptor can receive (0: no limit).</summary>
    public uint MaxPduLength { get; init; } = DicomNetworkDefaults.MaxPduLength;

    public string ImplementationClassUid { get; init; } = DicomNetworkDefaults.ImplementationClassUid;

    public string? ImplementationVersionName { get; init; } = DicomNetworkDefaults.ImplementationVersionName;

    public AsyncOperationsWindow? AsyncOperations { get; init; }

    public IReadOnlyList<RoleSelection> RoleSelections { get; init; } = [];

    /// <summary>The server response of a positive user identity answer (PS3.7 D.3.3.7.2), when one was requested.</summary>
    public byte[]? UserIdentityResponse { get; init; }
}
