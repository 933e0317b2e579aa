using Microsoft.Extensions.Logging;
using Vna.Dicom;
using Vna.Dicom.Network;

namespace Vna.Dimse.QueryRetrieve;

/// <summary>Reads a request's identifier; null (logged, never thrown) when it is absent or cannot be parsed.</summary>
internal static partial class IdentifierReader
{
    public static async Task<DicomDataset?> ReadAsync(DimseMessage request, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            return await request.ReadDatasetAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DicomReadException e)
        {
            LogMalformed(logger, e.Message);
            return null;
        }
        catch (DicomDataException e)
        {
            LogMalformed(logger, e.Message);
            return null;
        }
    }

    [LoggerMessage(EventId = 6202, Level = LogLevel.Information, Message = "A query/retrieve identifier could not be parsed: {Reason}")]
    private static partial void LogMalformed(ILogger logger, string reason);
}
