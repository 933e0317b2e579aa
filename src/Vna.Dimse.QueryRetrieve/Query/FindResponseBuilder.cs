using Vna.Dicom;

namespace Vna.Dimse.QueryRetrieve;

/// <summary>
/// Builds a C-FIND response identifier from one of the index's matches. Specific Character Set in the response
/// direction: the match is re-encoded in the request's character set when that set holds every returned character
/// (a requester that asked in ISO_IR 100 gets ISO_IR 100 back), otherwise it goes out in UTF-8 (ISO_IR 192), which holds
/// everything; a match of ASCII text only carries the request's (0008,0005) back unchanged. Retrieve AE Title is filled
/// in when asked for.
/// </summary>
public static class FindResponseBuilder
{
    /// <summary>The response for <paramref name="match"/>, which it may reuse and change (the index made it for this response only).</summary>
    public static DicomDataset Build(DicomDataset match, FindQuery query, string? retrieveAeTitle)
    {
        ArgumentNullException.ThrowIfNull(match);
        ArgumentNullException.ThrowIfNull(query);

        var requested = query.RequestCharacterSet is { Length: > 0 } value ? DicomCharacterSet.FromValue(value) : null;
        var nonAscii = HasNonAscii(match);
        string? target;
        if (!nonAscii)
        {
            target = query.RequestCharacterSet;
        }
        else
        {
            target = requested is not null && !requested.IsDefault && CanEncode(match, requested) ? query.RequestCharacterSet : CharacterSets.Utf8;
        }

        DicomDataset response;
        if (nonAscii && target == CharacterSets.Utf8 && match.GetString(DicomTag.SpecificCharacterSet) == CharacterSets.Utf8)
        {
            response = match; // already in UTF-8, as the index writes it: nothing to re-encode
        }
        else if (!nonAscii)
        {
            // ASCII reads the same in every character set: only the (0008,0005) the requester sent goes back.
            response = match;
            response.Remove(DicomTag.SpecificCharacterSet);
            if (target is { Length: > 0 })
            {
                response.AddOrUpdate(DicomTag.SpecificCharacterSet, DicomVR.CS, target.Split('\\'));
            }
        }
        else
        {
            response = new DicomDataset();
            if (target is { Length: > 0 })
            {
                response.AddOrUpdate(DicomTag.SpecificCharacterSet, DicomVR.CS, target.Split('\\'));
            }

            CopyInto(match, response);
        }
        if (query.ReturnRetrieveAeTitle)
        {
            if (retrieveAeTitle is { Length: > 0 })
            {
                response.AddOrUpdate(DicomTag.RetrieveAETitle, DicomVR.AE, retrieveAeTitle);
            }
            else if (!response.Contains(DicomTag.RetrieveAETitle))
            {
                response.AddOrUpdate(new DicomElement(DicomTag.RetrieveAETitle, DicomVR.AE, ReadOnlyMemory<byte>.Empty));
            }
        }

        return response;
    }

    /// <summary>Copies every item but (0008,0005), re-encoding text with the destination's character set.</summary>
    private static void CopyInto(DicomDataset source, DicomDataset destination)
    {
        foreach (var item in source)
        {
            if (item.Tag == DicomTag.SpecificCharacterSet)
            {
                continue;
            }

            switch (item)
            {
                case DicomSequence sequence:
                    var copy = new DicomSequence(sequence.Tag);
                    destination.AddOrUpdate(copy);
                    foreach (var sourceItem in sequence.Items)
                    {
                        // Added to its sequence before its values, so they are encoded with the response's character set.
                        var itemCopy = new DicomDataset();
                        copy.Add(itemCopy);
                        CopyInto(sourceItem, itemCopy);
                    }

                    break;
                case DicomElement element when element.VR.UsesSpecificCharacterSet() && element.Length > 0:
                    destination.AddOrUpdate(element.Tag, element.VR, source.DecodeStrings(element));
                    break;
                default:
                    destination.AddOrUpdate(item);
                    break;
            }
        }
    }

    private static bool HasNonAscii(DicomDataset dataset)
    {
        foreach (var item in dataset)
        {
            switch (item)
            {
                case DicomSequence sequence when sequence.Items.Any(HasNonAscii):
                    return true;
                case DicomElement element when element.VR.UsesSpecificCharacterSet() && !element.IsBulkData
                    && element.InlineValue.Span.ContainsAnyExceptInRange((byte)0, (byte)0x7F):
                    return true;
            }
        }

        return false;
    }

    private static bool CanEncode(DicomDataset dataset, DicomCharacterSet characterSet)
    {
        foreach (var item in dataset)
        {
            switch (item)
            {
                case DicomSequence sequence when !sequence.Items.All(i => CanEncode(i, characterSet)):
                    return false;
                case DicomElement element when element.VR.UsesSpecificCharacterSet() && element.Length > 0
                    && !characterSet.CanEncode(string.Join('\\', dataset.DecodeStrings(element)), element.VR):
                    return false;
            }
        }

        return true;
    }
}
