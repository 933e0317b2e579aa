using System.Globalization;

namespace Vna.Dicom;

/// <summary>Checks values against the rules of their VR (PS3.5 6.2): character repertoire, length, format and range.</summary>
public static class DicomValueValidator
{
    /// <summary>Every issue in the data set, nested items included.</summary>
    public static IReadOnlyList<DicomValidationIssue> Validate(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var issues = new List<DicomValidationIssue>();
        Collect(dataset, issues);
        return issues;
    }

    /// <summary>The issues of one element of <paramref name="dataset"/> (used to decode its text).</summary>
    public static IReadOnlyList<DicomValidationIssue> Validate(DicomDataset dataset, DicomElement element)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(element);
        var issues = new List<DicomValidationIssue>();
        ValidateElement(dataset, element, issues);
        return issues;
    }

    /// <summary>Checks one string value (one of the backslash-separated values) of a VR; null when valid, else the reason.</summary>
    public static string? CheckValue(DicomVR vr, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var max = vr.MaxValueLength();
        if (vr == DicomVR.PN)
        {
            var groups = value.Split('=');
            if (groups.Length > 3)
            {
                return "a person name has at most 3 component groups";
            }

            foreach (var g in groups)
            {
                if (g.Length > 64)
                {
                    return "a person name component group is longer than 64 characters";
                }

                if (g.Split('^').Length > 5)
                {
                    return "a person name component group has at most 5 components";
                }
            }

            return HasControl(value, allowFormatting: false) ? "control characters are not allowed" : null;
        }

        if (max > 0 && value.Length > max)
        {
            return $"longer than {max} characters";
        }

        switch (vr)
        {
            case DicomVR.AE:
                return value.Trim().Length == 0 && value.Length > 0 ? "an AE title may not be all spaces"
                    : HasControl(value, false) || value.Contains('\\', StringComparison.Ordinal) ? "control characters and '\\' are not allowed" : null;
            case DicomVR.AS:
                return value.Length == 4 && char.IsAsciiDigit(value[0]) && char.IsAsciiDigit(value[1]) && char.IsAsciiDigit(value[2])
                    && value[3] is 'D' or 'W' or 'M' or 'Y' ? null : "an age string is nnnD, nnnW, nnnM or nnnY";
            case DicomVR.CS:
                return value.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c is ' ' or '_')
                    ? null : "a code string holds only A-Z, 0-9, space and '_'";
            case DicomVR.DA:
                return TryOr(() => DicomDateTimeParser.ParseDate(value)) ?? (value.Length == 8 ? null : "a date is YYYYMMDD");
            case DicomVR.TM:
                return TryOr(() => DicomDateTimeParser.ParseTime(value));
            case DicomVR.DT:
                return TryOr(() => DicomDateTimeParser.ParseDateTime(value, TimeSpan.Zero));
            case DicomVR.DS:
                var ds = value.Trim();
                return ds.All(c => char.IsAsciiDigit(c) || c is '+' or '-' or '.' or 'e' or 'E')
                    && double.TryParse(ds, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? null : "not a decimal string";
            case DicomVR.IS:
                return long.TryParse(value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
                    && n is >= int.MinValue and <= int.MaxValue ? null : "not an integer string in the range -2^31..2^31-1";
            case DicomVR.UI:
                return DicomUid.IsValid(value) ? null : "not a valid UID (digits and single periods, no leading zeros, at most 64 characters)";
            case DicomVR.LO:
            case DicomVR.SH:
            case DicomVR.UC:
                return HasControl(value, false) ? "control characters are not allowed" : null;
            case DicomVR.LT:
            case DicomVR.ST:
            case DicomVR.UT:
                return HasControl(value, true) ? "control characters other than CR, LF, FF and ESC are not allowed" : null;
            case DicomVR.UR:
                return value.Contains(' ', StringComparison.Ordinal) && value.TrimEnd().Contains(' ', StringComparison.Ordinal)
                    ? "a URI may not contain spaces" : null;
            default:
                return null;
        }
    }

    private static void Collect(DicomDataset dataset, List<DicomValidationIssue> issues)
    {
        foreach (var item in dataset)
        {
            switch (item)
            {
                case DicomSequence sequence:
                    foreach (var child in sequence.Items)
                    {
                        Collect(child, issues);
                    }

                    break;
                case DicomElement element:
                    ValidateElement(dataset, element, issues);
                    break;
            }
        }
    }

    private static void ValidateElement(DicomDataset dataset, DicomElement element, List<DicomValidationIssue> issues)
    {
        var vr = element.VR;
        if (vr.IsString())
        {
            if (element.IsBulkData)
            {
                return;
            }

            var values = dataset.DecodeStrings(element);
            for (var i = 0; i < values.Length; i++)
            {
                if (values[i].Length == 0)
                {
                    continue;
                }

                var problem = CheckValue(vr, values[i]);
                if (problem is not null)
                {
                    issues.Add(new DicomValidationIssue(element.Tag, vr, i, problem));
                }
            }

            return;
        }

        var size = vr == DicomVR.AT ? 4 : vr.NumberSize();
        if (size > 0 && element.Length % size != 0 && vr is not (DicomVR.OW or DicomVR.OB or DicomVR.UN))
        {
            issues.Add(new DicomValidationIssue(element.Tag, vr, 0, $"the value length {element.Length} is not a multiple of {size}"));
        }
    }

    private static bool HasControl(string value, bool allowFormatting) =>
        value.Any(c => c < 0x20 && !(c == 0x1B || (allowFormatting && c is '\r' or '\n' or '\f' or '\t')));

    private static string? TryOr(Action parse)
    {
        try
        {
            parse();
            return null;
        }
        catch (DicomDataException ex)
        {
            return ex.Message;
        }
    }
}
