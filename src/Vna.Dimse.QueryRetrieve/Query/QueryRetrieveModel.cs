namespace Vna.Dimse.QueryRetrieve;

/// <summary>The Query/Retrieve information model a request names through its SOP class (PS3.4 C.6).</summary>
public enum QueryRetrieveModel
{
    /// <summary>Patient Root (1.2.840.10008.5.1.4.1.2.1.x): PATIENT, STUDY, SERIES, IMAGE.</summary>
    PatientRoot = 0,

    /// <summary>Study Root (1.2.840.10008.5.1.4.1.2.2.x): STUDY, SERIES, IMAGE; patient attributes are study attributes.</summary>
    StudyRoot = 1,
}
