using Vna.Core;
using Vna.Dicom;

namespace Vna.Dimse.QueryRetrieve;

/// <summary>
/// Turns a C-FIND identifier into an <see cref="IndexQuery"/> (PS3.4 C.4.1.2.1, C.6): the level and the model decide
/// which keys are matched; values with wildcards, ranges and UID lists are passed to the index as sent (it matches them
/// the way PS3.4 C.2.2.2 says); the request's Specific Character Set decodes the values.
/// </summary>
public static class FindRequestParser
{
    /// <summary>Parses <paramref name="identifier"/>; returns null with <paramref name="problem"/> set when it must be refused.</summary>
    public static FindQuery? Parse(DicomDataset identifier, QueryRetrieveModel model, out IdentifierProblem? problem)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        var level = QueryLevels.Read(identifier, model, out problem);
        if (level is null)
        {
            return null;
        }

        string? characterSet = null;
        if (identifier.GetElement(DicomTag.SpecificCharacterSet) is { Length: > 0 })
        {
            characterSet = identifier.GetString(DicomTag.SpecificCharacterSet);
            if (!CharacterSets.IsSupported(characterSet))
            {
                problem = IdentifierProblem.DoesNotMatch(
                    $"Specific Character Set '{QueryLevels.Printable(characterSet ?? string.Empty)}' is not supported.", DicomTag.SpecificCharacterSet);
                return null;
            }
        }

        foreach (var item in identifier)
        {
            if (item is DicomSequence sequence && sequence.Items.Count > 1)
            {
                problem = IdentifierProblem.DoesNotMatch("A sequence key holds more than one item.", item.Tag);
                return null;
            }
        }

        var query = new IndexQuery
        {
            Level = level.Value,
            Identifier = identifier,
            PatientRoot = model == QueryRetrieveModel.PatientRoot,
        };

        return new FindQuery
        {
            Query = query,
            RequestCharacterSet = characterSet,
            ReturnRetrieveAeTitle = identifier.Contains(DicomTag.RetrieveAETitle),
        };
    }
}
