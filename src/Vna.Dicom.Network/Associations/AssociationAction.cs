namespace Vna.Dicom.Network;

/// <summary>The actions of the PS3.8 state machine (Table 9-6 to 9-9), named as there.</summary>
public enum AssociationAction
{
    /// <summary>No transition is defined: a local primitive in the wrong state is a programming error.</summary>
    Invalid = 0,

    /// <summary>Issue a transport connect request.</summary>
    AE1,

    /// <summary>Send the A-ASSOCIATE-RQ PDU.</summary>
    AE2,

    /// <summary>Issue the A-ASSOCIATE confirmation (accept).</summary>
    AE3,

    /// <summary>Issue the A-ASSOCIATE confirmation (reject) and close.</summary>
    AE4,

    /// <summary>Issue the transport connection response and start ARTIM.</summary>
    AE5,

    /// <summary>Stop ARTIM; if the A-ASSOCIATE-RQ is acceptable issue the indication, else send A-ASSOCIATE-RJ and start ARTIM.</summary>
    AE6,

    /// <summary>Send the A-ASSOCIATE-AC PDU.</summary>
    AE7,

    /// <summary>Send the A-ASSOCIATE-RJ PDU and start ARTIM.</summary>
    AE8,

    /// <summary>Send a P-DATA-TF PDU.</summary>
    DT1,

    /// <summary>Issue the P-DATA indication.</summary>
    DT2,

    /// <summary>Send the A-RELEASE-RQ PDU.</summary>
    AR1,

    /// <summary>Issue the A-RELEASE indication.</summary>
    AR2,

    /// <summary>Issue the A-RELEASE confirmation and close.</summary>
    AR3,

    /// <summary>Send the A-RELEASE-RP PDU and start ARTIM.</summary>
    AR4,

    /// <summary>Stop ARTIM.</summary>
    AR5,

    /// <summary>Issue the P-DATA indication (while awaiting A-RELEASE-RP).</summary>
    AR6,

    /// <summary>Send a P-DATA-TF PDU (while awaiting the local release response).</summary>
    AR7,

    /// <summary>Release collision: issue the A-RELEASE indication.</summary>
    AR8,

    /// <summary>Send the A-RELEASE-RP PDU (collision, requestor side).</summary>
    AR9,

    /// <summary>Issue the A-RELEASE confirmation (collision, acceptor side).</summary>
    AR10,

    /// <summary>Send A-ABORT (service user) and start ARTIM.</summary>
    AA1,

    /// <summary>Stop ARTIM if running and close the transport connection.</summary>
    AA2,

    /// <summary>Issue the A-ABORT / A-P-ABORT indication and close.</summary>
    AA3,

    /// <summary>Issue the A-P-ABORT indication.</summary>
    AA4,

    /// <summary>Stop ARTIM.</summary>
    AA5,

    /// <summary>Ignore the PDU.</summary>
    AA6,

    /// <summary>Send A-ABORT.</summary>
    AA7,

    /// <summary>Send A-ABORT (service provider), issue the A-P-ABORT indication and start ARTIM.</summary>
    AA8,
}
