namespace Vna.Dicom.Network;

/// <summary>
/// A protocol failure on an association: a malformed or unexpected PDU, an exceeded limit, a timeout. When the association
/// ends because of it, <see cref="AbortReason"/> says what the A-ABORT (or A-P-ABORT) carried.
/// </summary>
public sealed class DicomNetworkException : Exception
{
    public DicomNetworkException()
    {
    }

    public DicomNetworkException(string message)
        : base(message)
    {
    }

    public DicomNetworkException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public DicomNetworkException(string message, AbortReason reason)
        : base(message)
    {
        AbortReason = reason;
    }

    /// <summary>The provider's abort reason for this failure.</summary>
    public AbortReason AbortReason { get; }
}
