using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Vna.Dicom.Network;

/// <summary>Limits and timers of one association (both roles). All timers run on <see cref="TimeProvider"/>.</summary>
public sealed class DicomAssociationOptions
{
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>ARTIM (PS3.8 9.1.5): how long to wait for the A-ASSOCIATE-RQ after a connection opens, for the A-ASSOCIATE-AC/RJ after sending the request, and for the peer to close after a release or abort.</summary>
    public TimeSpan ArtimTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>An established association on which the peer sends nothing for this long, with no operation outstanding, is aborted.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long one operation may take: a message being sent (a peer that stops reading), a response awaited, a data set being received. Exceeded: the association is aborted.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The largest P-DATA-TF PDU this side receives (announced in the RQ/AC; a larger one aborts the association).</summary>
    public uint MaxPduLength { get; set; } = DicomNetworkDefaults.MaxPduLength;

    /// <summary>The largest data set of a response (a C-FIND identifier, an N-ACTION reply) kept in memory; request data sets are streamed, never bounded here.</summary>
    public int MaxResponseDataLength { get; set; } = 16 * 1024 * 1024;

    public ILogger Logger { get; set; } = NullLogger.Instance;

    public DicomAssociationOptions Clone() => (DicomAssociationOptions)MemberwiseClone();
}
