namespace Vna.Policies;

/// <summary>What an action's duration counts from.</summary>
public enum PolicyAnchor
{
    /// <summary>Study Date (0008,0020); the ingest date when absent or not a date.</summary>
    StudyDate,

    /// <summary>When the archive first received an instance of the study.</summary>
    Ingest,

    /// <summary>The last time the study was read (the ingest date until it is read).</summary>
    LastAccess,

    /// <summary>The patient's birthday at the rule's adulthood age (18 by default); the study date when the birth date is unknown.</summary>
    Adulthood,
}
