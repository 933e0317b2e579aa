namespace Vna.Dimse.QueryRetrieve;

/// <summary>What a Query/Retrieve SOP class does.</summary>
public enum QueryRetrieveOperation
{
    Find = 0,
    Move = 1,
    Get = 2,
}
