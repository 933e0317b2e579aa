namespace Vna.Cli.Store;

/// <summary>One file <c>vna store</c> sends: where it is, what it holds (from its header) and its size.</summary>
internal sealed record StoreFile(string Path, string SopClassUid, string SopInstanceUid, string TransferSyntaxUid, bool HasFileMetaInformation, long Size);
