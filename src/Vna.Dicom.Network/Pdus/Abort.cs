namespace Vna.Dicom.Network;

/// <summary>An A-ABORT PDU (PS3.8 9.3.8).</summary>
public sealed record Abort(AbortSource Source, AbortReason Reason)
{
    public override string ToString() => $"A-ABORT ({Source}, {Reason})";
}
