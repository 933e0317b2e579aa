namespace Vna.Dimse.QueryRetrieve;

/// <summary>How one instance goes out: on which accepted context, in which syntax, and whether it must be transcoded first.</summary>
public sealed record SendPlan(AcceptedContext Context, bool Transcode);
