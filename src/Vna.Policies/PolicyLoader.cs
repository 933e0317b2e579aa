using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Vna.Policies;

/// <summary>
/// Reads a policy document: YAML syntax, then the published schema, then the rules' sense (regular expressions that
/// compile, age ranges in order, at most one move per tier and one expiry per rule, a cold move not before the warm one,
/// unique rule names). Any problem refuses the whole document with every error found, each at its line and column.
/// </summary>
public static class PolicyLoader
{
    /// <summary>How long one Study Description match may take before it counts as no match.</summary>
    public static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>Reads and validates a policy file.</summary>
    /// <exception cref="PolicyValidationException">The file is not a valid policy document.</exception>
    public static async Task<PolicyDocument> LoadFileAsync(string path, CancellationToken cancellationToken)
    {
        var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        return Parse(text, Path.GetFileName(path));
    }

    /// <summary>Validates a policy document's text; <paramref name="source"/> names it in errors (a file name).</summary>
    /// <exception cref="PolicyValidationException">The text is not a valid policy document.</exception>
    public static PolicyDocument Parse(string text, string source = "policy")
    {
        ArgumentNullException.ThrowIfNull(text);
        var yaml = YamlJson.Parse(text, source);
        using var json = yaml.Json;
        var root = json.RootElement;
        var schemaProblems = PolicySchema.Check(root);
        if (schemaProblems.Count > 0)
        {
            throw new PolicyValidationException(source, [.. schemaProblems.Select(p => yaml.Error(p.Pointer, p.Message))]);
        }

        var errors = new List<PolicyError>();
        var name = root.GetProperty("name").GetString()!;
        var version = root.GetProperty("version").GetString()!;
        var rules = new List<PolicyRule>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (root.TryGetProperty("rules", out var ruleArray))
        {
            var i = 0;
            foreach (var rule in ruleArray.EnumerateArray())
            {
                var pointer = $"/rules/{i++}";
                var ruleName = rule.GetProperty("name").GetString()!;
                if (!names.Add(ruleName))
                {
                    errors.Add(yaml.Error(pointer + "/name", $"rule name '{ruleName}' is used twice"));
                }

                rules.Add(new PolicyRule
                {
                    Name = ruleName,
                    Precedence = rule.TryGetProperty("precedence", out var p) ? p.GetInt32() : 0,
                    AdulthoodAge = rule.TryGetProperty("adulthoodAge", out var a) ? a.GetInt32() : 18,
                    Match = ReadMatch(rule.GetProperty("match"), pointer + "/match", yaml, errors),
                    Actions = ReadActions(rule.GetProperty("actions"), pointer + "/actions", yaml, errors),
                    DocumentName = name,
                    DocumentVersion = version,
                });
            }
        }

        PolicyRule? defaults = null;
        if (root.TryGetProperty("default", out var defaultBlock))
        {
            defaults = new PolicyRule
            {
                Name = "default",
                Precedence = int.MinValue,
                Match = new StudySelector(),
                Actions = ReadActions(defaultBlock.GetProperty("actions"), "/default/actions", yaml, errors),
                DocumentName = name,
                DocumentVersion = version,
            };
        }

        if (errors.Count > 0)
        {
            throw new PolicyValidationException(source, errors);
        }

        return new PolicyDocument
        {
            Name = name,
            Version = version,
            Description = root.TryGetProperty("description", out var d) ? d.GetString() ?? string.Empty : string.Empty,
            Rules = rules,
            Default = defaults,
            Text = text,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))),
        };
    }

    private static StudySelector ReadMatch(JsonElement match, string pointer, YamlJson yaml, List<PolicyError> errors)
    {
        Regex? description = null;
        if (match.TryGetProperty("studyDescription", out var pattern))
        {
            try
            {
                description = new Regex(pattern.GetString()!, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, RegexTimeout);
            }
            catch (ArgumentException ex)
            {
                errors.Add(yaml.Error(pointer + "/studyDescription", "not a valid regular expression: " + ex.Message));
            }
        }

        AgeRange? age = null;
        if (match.TryGetProperty("patientAge", out var range))
        {
            int? min = range.TryGetProperty("min", out var lo) ? lo.GetInt32() : null;
            int? max = range.TryGetProperty("max", out var hi) ? hi.GetInt32() : null;
            if (min > max)
            {
                errors.Add(yaml.Error(pointer + "/patientAge", $"min ({min}) is above max ({max})"));
            }

            age = new AgeRange(min, max);
        }

        return new StudySelector
        {
            Modalities = Strings(match, "modalities", upper: true),
            Departments = Strings(match, "departments", upper: false),
            BodyParts = Strings(match, "bodyParts", upper: true),
            SopClasses = Strings(match, "sopClasses", upper: false),
            StudyDescription = description,
            PatientAge = age,
        };
    }

    private static List<PolicyAction> ReadActions(JsonElement actions, string pointer, YamlJson yaml, List<PolicyError> errors)
    {
        var result = new List<PolicyAction>();
        var i = 0;
        foreach (var action in actions.EnumerateArray())
        {
            var at = $"{pointer}/{i++}";
            var kind = action.TryGetProperty("move", out var move)
                ? move.GetString() == "warm" ? PolicyActionKind.MoveToWarm : PolicyActionKind.MoveToCold
                : PolicyActionKind.Expire;
            if (result.Any(r => r.Kind == kind))
            {
                errors.Add(yaml.Error(at, kind == PolicyActionKind.Expire ? "a second expire action (one per rule)" : $"a second move to {move.GetString()} (one per tier)"));
            }

            var since = action.GetProperty("since");
            var anchors = since.ValueKind == JsonValueKind.Array
                ? since.EnumerateArray().Select(e => Anchor(e.GetString()!)).ToList()
                : [Anchor(since.GetString()!)];
            result.Add(new PolicyAction
            {
                Kind = kind,
                After = PolicyDuration.TryParse(action.GetProperty("after").GetString())!.Value,
                Since = anchors,
                TransferSyntaxUid = action.TryGetProperty("transferSyntax", out var ts) ? TransferSyntaxNames.Resolve(ts.GetString()!) : null,
                Grace = action.TryGetProperty("grace", out var grace) ? PolicyDuration.TryParse(grace.GetString())!.Value : new PolicyDuration(30, 'd'),
            });
        }

        var warm = result.FindIndex(a => a.Kind == PolicyActionKind.MoveToWarm);
        var cold = result.FindIndex(a => a.Kind == PolicyActionKind.MoveToCold);
        if (warm >= 0 && cold >= 0 && SameAnchors(result[warm], result[cold]) && Approximate(result[cold].After) < Approximate(result[warm].After))
        {
            errors.Add(yaml.Error($"{pointer}/{cold}/after", $"the move to cold ({result[cold].After}) comes before the move to warm ({result[warm].After}) from the same anchors"));
        }

        return result;
    }

    private static bool SameAnchors(PolicyAction a, PolicyAction b) => a.Since.Order().SequenceEqual(b.Since.Order());

    private static double Approximate(PolicyDuration d) => d.Unit switch
    {
        'd' => d.Count,
        'w' => d.Count * 7,
        'm' => d.Count * 30.44,
        _ => d.Count * 365.25,
    };

    private static PolicyAnchor Anchor(string text) => text switch
    {
        "studyDate" => PolicyAnchor.StudyDate,
        "ingest" => PolicyAnchor.Ingest,
        "lastAccess" => PolicyAnchor.LastAccess,
        _ => PolicyAnchor.Adulthood,
    };

    private static List<string> Strings(JsonElement match, string property, bool upper) =>
        match.TryGetProperty(property, out var list)
            ? [.. list.EnumerateArray().Select(e => upper ? e.GetString()!.Trim().ToUpperInvariant() : e.GetString()!.Trim())]
            : [];
}
