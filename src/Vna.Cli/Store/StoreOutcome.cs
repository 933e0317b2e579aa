namespace Vna.Cli.Store;

/// <summary>What happened to one file: the C-STORE status (null when it was never sent) and why, when it failed.</summary>
internal sealed record StoreOutcome(string Path, long Size, ushort? Status, string? Reason)
{
    public bool IsFailure => Status is not { } status || Vna.Dicom.Network.DimseStatus.IsFailure(status);

    public bool IsWarning => Status is { } status && Vna.Dicom.Network.DimseStatus.IsWarning(status);
}
