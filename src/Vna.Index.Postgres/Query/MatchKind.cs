namespace Vna.Index.Postgres.Query;

/// <summary>How the index matches a key attribute (PS3.4 C.2.2.2) and reads its value back.</summary>
internal enum MatchKind
{
    /// <summary>Case-sensitive text (AE, CS, LO, SH): single value, wild cards, several values.</summary>
    Text,

    /// <summary>IS: compared without padding and leading zeros.</summary>
    IntegerString,

    /// <summary>UI: single value or list of UIDs.</summary>
    Uid,

    /// <summary>PN: case-insensitive, wild cards, fuzzy when asked.</summary>
    PersonName,

    /// <summary>DA: single value and ranges.</summary>
    Date,

    /// <summary>TM: single value and ranges against the time key.</summary>
    Time,

    /// <summary>A multi-valued attribute held as text[] (Modalities in Study, SOP Classes in Study).</summary>
    TextArray,

    /// <summary>Instance Availability, derived from placement.</summary>
    Availability,

    /// <summary>Issuer of Accession Number Sequence: its Local Namespace Entity ID.</summary>
    IssuerSequence,

    /// <summary>A number the index keeps (Number of … Related …): returned, never matched.</summary>
    Count,
}
