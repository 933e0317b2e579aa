namespace Vna.Dicom.Network;

/// <summary>The acceptor answered the A-ASSOCIATE-RQ with an A-ASSOCIATE-RJ.</summary>
public sealed class DicomAssociationRejectedException : Exception
{
    public DicomAssociationRejectedException()
        : this(AssociateReject.NoReason)
    {
    }

    public DicomAssociationRejectedException(string message)
        : base(message)
    {
        Reject = AssociateReject.NoReason;
    }

    public DicomAssociationRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reject = AssociateReject.NoReason;
    }

    public DicomAssociationRejectedException(AssociateReject reject)
        : base($"The association was rejected: {reject?.Description}.")
    {
        ArgumentNullException.ThrowIfNull(reject);
        Reject = reject;
    }

    public AssociateReject Reject { get; }
}
