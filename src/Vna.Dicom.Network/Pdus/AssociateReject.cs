namespace Vna.Dicom.Network;

/// <summary>An A-ASSOCIATE-RJ (PS3.8 9.3.4). The reason's meaning depends on the source; see the constants.</summary>
public sealed record AssociateReject(AssociateRejectResult Result, AssociateRejectSource Source, byte Reason)
{
    /// <summary>Service user: no reason given.</summary>
    public const byte NoReasonGiven = 1;

    /// <summary>Service user: application context name not supported.</summary>
    public const byte ApplicationContextNotSupported = 2;

    /// <summary>Service user: calling AE title not recognized.</summary>
    public const byte CallingAeTitleNotRecognized = 3;

    /// <summary>Service user: called AE title not recognized.</summary>
    public const byte CalledAeTitleNotRecognized = 7;

    /// <summary>Service provider (ACSE): protocol version not supported.</summary>
    public const byte ProtocolVersionNotSupported = 2;

    /// <summary>Service provider (presentation): temporary congestion.</summary>
    public const byte TemporaryCongestion = 1;

    /// <summary>Service provider (presentation): local limit exceeded.</summary>
    public const byte LocalLimitExceeded = 2;

    public static AssociateReject CallingAeNotRecognized { get; } = new(AssociateRejectResult.Permanent, AssociateRejectSource.ServiceUser, CallingAeTitleNotRecognized);

    public static AssociateReject CalledAeNotRecognized { get; } = new(AssociateRejectResult.Permanent, AssociateRejectSource.ServiceUser, CalledAeTitleNotRecognized);

    public static AssociateReject NoReason { get; } = new(AssociateRejectResult.Permanent, AssociateRejectSource.ServiceUser, NoReasonGiven);

    public static AssociateReject LimitExceeded { get; } = new(AssociateRejectResult.Transient, AssociateRejectSource.ServiceProviderPresentation, LocalLimitExceeded);

    /// <summary>The reason in words (as PS3.8 Table 9-21 names it).</summary>
    public string Description => (Source, Reason) switch
    {
        (AssociateRejectSource.ServiceUser, NoReasonGiven) => "no reason given",
        (AssociateRejectSource.ServiceUser, ApplicationContextNotSupported) => "application context name not supported",
        (AssociateRejectSource.ServiceUser, CallingAeTitleNotRecognized) => "calling AE title not recognized",
        (AssociateRejectSource.ServiceUser, CalledAeTitleNotRecognized) => "called AE title not recognized",
        (AssociateRejectSource.ServiceProviderAcse, NoReasonGiven) => "no reason given (ACSE)",
        (AssociateRejectSource.ServiceProviderAcse, ProtocolVersionNotSupported) => "protocol version not supported",
        (AssociateRejectSource.ServiceProviderPresentation, TemporaryCongestion) => "temporary congestion",
        (AssociateRejectSource.ServiceProviderPresentation, LocalLimitExceeded) => "local limit exceeded",
        _ => $"reason {Reason} from source {Source}",
    };

    public override string ToString() => $"A-ASSOCIATE-RJ ({Result}, {Source}): {Description}";
}
