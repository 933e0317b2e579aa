using Vna.Core;
using Vna.Dicom;

namespace Vna.Dimse.QueryRetrieve;

/// <summary>A C-FIND identifier understood: the index query it becomes and what the responses must carry back.</summary>
public sealed record FindQuery
{
    /// <summary>The query for the index; its Identifier keeps the request's Specific Character Set so values decode as sent.</summary>
    public required IndexQuery Query { get; init; }

    /// <summary>The request's Specific Character Set (0008,0005) value, or null when it had none (the default repertoire).</summary>
    public string? RequestCharacterSet { get; init; }

    /// <summary>The request asked for Retrieve AE Title (0008,0054), which the archive fills in (the index does not hold it).</summary>
    public bool ReturnRetrieveAeTitle { get; init; }
}
