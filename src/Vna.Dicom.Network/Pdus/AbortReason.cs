namespace Vna.Dicom.Network;

/// <summary>A-ABORT / A-P-ABORT reasons of the service provider (PS3.8 9.3.8).</summary>
public enum AbortReason : byte
{
    NotSpecified = 0,
    UnrecognizedPdu = 1,
    UnexpectedPdu = 2,
    UnrecognizedPduParameter = 4,
    UnexpectedPduParameter = 5,
    InvalidPduParameterValue = 6,
}
