using Vna.Dicom;

namespace Vna.Dimse.QueryRetrieve;

/// <summary>
/// Reads the Action Information of a storage commitment N-ACTION (PS3.4 J.3.2.1.1): Transaction UID (0008,1195) and
/// Referenced SOP Sequence (0008,1199), each item with a Referenced SOP Class UID and Instance UID. A missing attribute
/// is 0x0120, a value that is not a UID 0x0106.
/// </summary>
public static class CommitmentRequestParser
{
    /// <summary>At most this many instances per request (a bigger request is refused with 0x0213).</summary>
    public const int MaxInstances = 100_000;

    public static CommitmentRequest? Parse(DicomDataset? actionInformation, out IdentifierProblem? problem)
    {
        problem = null;
        if (actionInformation is null)
        {
            problem = new IdentifierProblem(CommitmentStatus.MissingAttribute, "The N-ACTION has no Action Information.", []);
            return null;
        }

        var transaction = actionInformation.GetString(DicomTag.TransactionUID)?.Trim('\0', ' ');
        if (string.IsNullOrEmpty(transaction))
        {
            problem = new IdentifierProblem(CommitmentStatus.MissingAttribute, "Transaction UID (0008,1195) is missing.", [DicomTag.TransactionUID]);
            return null;
        }

        if (!IsUid(transaction))
        {
            problem = new IdentifierProblem(CommitmentStatus.InvalidAttributeValue, "Transaction UID is not a UID.", [DicomTag.TransactionUID]);
            return null;
        }

        var sequence = actionInformation.GetSequence(DicomTag.ReferencedSOPSequence);
        if (sequence is null || sequence.Items.Count == 0)
        {
            problem = new IdentifierProblem(CommitmentStatus.MissingAttribute, "Referenced SOP Sequence (0008,1199) is missing or empty.", [DicomTag.ReferencedSOPSequence]);
            return null;
        }

        if (sequence.Items.Count > MaxInstances)
        {
            problem = new IdentifierProblem(CommitmentStatus.ResourceLimitation, $"More than {MaxInstances} instances in one request.", [DicomTag.ReferencedSOPSequence]);
            return null;
        }

        var instances = new List<ReferencedSop>(sequence.Items.Count);
        foreach (var item in sequence.Items)
        {
            var sopClass = item.GetString(DicomTag.ReferencedSOPClassUID)?.Trim('\0', ' ');
            var sopInstance = item.GetString(DicomTag.ReferencedSOPInstanceUID)?.Trim('\0', ' ');
            if (string.IsNullOrEmpty(sopClass) || string.IsNullOrEmpty(sopInstance))
            {
                problem = new IdentifierProblem(
                    CommitmentStatus.MissingAttribute,
                    "A Referenced SOP Sequence item lacks its SOP class or instance UID.",
                    [string.IsNullOrEmpty(sopClass) ? DicomTag.ReferencedSOPClassUID : DicomTag.ReferencedSOPInstanceUID]);
                return null;
            }

            if (!IsUid(sopClass) || !IsUid(sopInstance))
            {
                problem = new IdentifierProblem(
                    CommitmentStatus.InvalidAttributeValue,
                    "A Referenced SOP Sequence item holds a value that is not a UID.",
                    [IsUid(sopClass) ? DicomTag.ReferencedSOPInstanceUID : DicomTag.ReferencedSOPClassUID]);
                return null;
            }

            instances.Add(new ReferencedSop(sopClass, sopInstance));
        }

        return new CommitmentRequest(transaction, instances);
    }

    internal static bool IsUid(string value) =>
        value.Length is > 0 and <= 64 && value.All(c => c is '.' || char.IsAsciiDigit(c)) && value[0] != '.' && value[^1] != '.';
}
