namespace Vna.Dicom.Network;

/// <summary>Settings of a <see cref="DicomServer"/>.</summary>
public sealed class DicomServerOptions
{
    /// <summary>Where to listen (plain and/or TLS).</summary>
    public IList<DicomEndpoint> Endpoints { get; } = [];

    /// <summary>Associations served at once, over all endpoints; one more is answered A-ASSOCIATE-RJ (transient, local limit exceeded).</summary>
    public int MaxAssociations { get; set; } = 64;

    /// <summary>Limits and timers of every association.</summary>
    public DicomAssociationOptions Association { get; set; } = new();

    /// <summary>Decides on each association request; null: accept every one whose contexts the services serve.</summary>
    public IAssociationPolicy? Policy { get; set; }
}
