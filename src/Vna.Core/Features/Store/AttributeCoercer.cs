using Vna.Dicom;

namespace Vna.Core;

/// <summary>
/// Attribute coercion at ingest, per department: the department's Issuer of Patient ID assigned when the instance has none
/// (so that two departments' "12345" stay two patients), then the department's <see cref="CoercionRule"/>s in order (set,
/// set if missing, remove). Top-level attributes only. The UIDs that identify the object, the Specific Character Set, the
/// File Meta Information and Pixel Data cannot be coerced.
/// </summary>
internal static class AttributeCoercer
{
    private static readonly HashSet<DicomTag> s_protected =
    [
        DicomTag.SOPClassUID,
        DicomTag.SOPInstanceUID,
        DicomTag.StudyInstanceUID,
        DicomTag.SeriesInstanceUID,
        DicomTag.SpecificCharacterSet,
        DicomTag.PixelData,
    ];

    /// <summary>Applies the department's coercions to <paramref name="dataset"/> (in place).</summary>
    public static CoercionResult Apply(DicomDataset dataset, DepartmentOptions department)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(department);
        var changes = new List<string>();

        var issuer = department.IssuerOfPatientId?.Trim();
        if (!string.IsNullOrEmpty(issuer) && IsMissing(dataset, DicomTag.IssuerOfPatientID))
        {
            var problem = Set(dataset, DicomTag.IssuerOfPatientID, DicomVR.LO, issuer);
            if (problem is not null)
            {
                return CoercionResult.Fail($"department '{department.Name}': cannot assign the Issuer of Patient ID: {problem}");
            }

            changes.Add($"{DicomTag.IssuerOfPatientID} IssuerOfPatientID: assigned the issuer of department '{department.Name}'.");
        }

        for (var i = 0; i < department.Coercions.Count; i++)
        {
            var rule = department.Coercions[i];
            var label = $"rule {i + 1} of department '{department.Name}'";
            if (!TryResolve(rule, out var tag, out var vr, out var invalid))
            {
                return CoercionResult.Fail($"{label}: {invalid}");
            }

            var name = $"{tag} {DicomDictionary.Lookup(tag)?.Keyword ?? "private"}";
            switch (rule.Action)
            {
                case CoercionAction.Remove:
                    if (dataset.Remove(tag))
                    {
                        changes.Add($"{name}: removed ({label}).");
                    }

                    break;

                case CoercionAction.SetIfMissing when !IsMissing(dataset, tag):
                    break;

                case CoercionAction.Set or CoercionAction.SetIfMissing:
                    var value = rule.Value!;
                    if (rule.Action == CoercionAction.Set && HasValue(dataset, tag, value))
                    {
                        break;
                    }

                    var existing = dataset.GetElement(tag);
                    var problem = Set(dataset, tag, existing is not null && existing.VR.IsString() ? existing.VR : vr, value);
                    if (problem is not null)
                    {
                        return CoercionResult.Fail($"{label}: {problem}");
                    }

                    changes.Add($"{name}: {(rule.Action == CoercionAction.Set ? "set" : "set where missing")} ({label}).");
                    break;
            }
        }

        return new CoercionResult(changes);
    }

    /// <summary>What is wrong with a department's coercion configuration (empty when nothing).</summary>
    public static IReadOnlyList<string> Validate(DepartmentOptions department)
    {
        ArgumentNullException.ThrowIfNull(department);
        var problems = new List<string>();
        var issuer = department.IssuerOfPatientId?.Trim();
        if (issuer is { Length: > 64 } || (issuer is not null && issuer.Contains('\\', StringComparison.Ordinal)))
        {
            problems.Add("IssuerOfPatientId must be a LO value: at most 64 characters, no backslash.");
        }

        for (var i = 0; i < department.Coercions.Count; i++)
        {
            if (!TryResolve(department.Coercions[i], out _, out _, out var problem))
            {
                problems.Add($"coercion rule {i + 1}: {problem}");
            }
        }

        return problems;
    }

    private static bool TryResolve(CoercionRule rule, out DicomTag tag, out DicomVR vr, out string? problem)
    {
        vr = DicomVR.UN;
        problem = null;
        if (!DicomTag.TryParse(rule.Tag, out tag))
        {
            problem = $"'{rule.Tag}' is not a tag (a keyword such as InstitutionName, or (gggg,eeee)).";
            return false;
        }

        if (!Enum.IsDefined(rule.Action))
        {
            problem = $"unknown action {rule.Action}.";
            return false;
        }

        if (tag.IsFileMetaInformation || tag.IsGroupLength || tag.IsDelimiter || tag.Group < 0x0008 || s_protected.Contains(tag))
        {
            problem = $"{tag} cannot be coerced (it identifies or frames the object).";
            return false;
        }

        if (rule.Action == CoercionAction.Remove)
        {
            return true;
        }

        if (rule.Value is null)
        {
            problem = $"{rule.Action} of {tag} needs a value.";
            return false;
        }

        var entry = tag.IsPrivate ? null : DicomDictionary.Lookup(tag);
        if (entry is null)
        {
            problem = $"{tag} is not in the data dictionary, so its VR is unknown: only Remove applies to it.";
            return false;
        }

        vr = entry.VR;
        if (!vr.IsString())
        {
            problem = $"{tag} has VR {vr.Code()}: only text attributes can be set.";
            return false;
        }

        var max = vr.MaxValueLength();
        var values = vr.IsMultiValuedString() ? rule.Value.Split('\\') : [rule.Value];
        if (max > 0 && values.Any(v => v.Length > max))
        {
            problem = $"the value is longer than the {max} characters VR {vr.Code()} allows for {tag}.";
            return false;
        }

        return true;
    }

    private static string? Set(DicomDataset dataset, DicomTag tag, DicomVR vr, string value)
    {
        if (vr.UsesSpecificCharacterSet() ? !dataset.CharacterSet.CanEncode(value, vr) : !value.All(char.IsAscii))
        {
            return $"the value cannot be encoded in the data set's character set for {tag}.";
        }

        dataset.AddOrUpdate(tag, vr, value);
        return null;
    }

    private static bool IsMissing(DicomDataset dataset, DicomTag tag)
    {
        if (!dataset.TryGet(tag, out var item))
        {
            return true;
        }

        return item is DicomElement element && (element.Length == 0 || string.IsNullOrWhiteSpace(TryGetString(dataset, tag)));
    }

    private static bool HasValue(DicomDataset dataset, DicomTag tag, string value) =>
        dataset.GetElement(tag) is { } element && element.VR.IsString()
        && string.Equals(TryGetString(dataset, tag), value.TrimEnd(' '), StringComparison.Ordinal);

    private static string? TryGetString(DicomDataset dataset, DicomTag tag)
    {
        try
        {
            return dataset.GetString(tag);
        }
        catch (DicomDataException)
        {
            return null;
        }
    }
}
