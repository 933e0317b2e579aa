namespace Vna.Dimse.QueryRetrieve;

/// <summary>
/// Where the C-STORE sub-operations of a retrieve go: an association to a move destination (C-MOVE) or the requester's
/// own association (C-GET). The transport implements it; <see cref="RetrieveRunner"/> drives it.
/// </summary>
public interface IStorageSubOperationTarget
{
    /// <summary>The storage presentation contexts the peer accepted (C-GET: those it proposed with the SCP role, and that were accepted).</summary>
    IReadOnlyList<AcceptedContext> AcceptedContexts { get; }

    /// <summary>
    /// Sends one C-STORE-RQ with <paramref name="dataset"/> (a bare data set in the context's transfer syntax, read to its
    /// end) and returns the peer's C-STORE-RSP status. Throws when the association fails.
    /// </summary>
    Task<ushort> StoreAsync(AcceptedContext context, string sopClassUid, string sopInstanceUid, Stream dataset, CancellationToken cancellationToken);
}
