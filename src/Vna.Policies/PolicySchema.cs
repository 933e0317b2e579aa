using System.Text.Json;
using Json.Schema;

namespace Vna.Policies;

/// <summary>The published schema of policy documents (<c>policies/schema/policy.schema.json</c>, embedded in this assembly).</summary>
public static class PolicySchema
{
    /// <summary>The schema's text, as published.</summary>
    public static string Text { get; } = ReadText();

    private static readonly Lazy<JsonSchema> s_schema = new(() => Build(Text), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Checks a JSON value against the schema; returns one error per failing place, nearest first.</summary>
    internal static List<(string Pointer, string Message)> Check(JsonElement document)
    {
        var results = s_schema.Value.Evaluate(document, new EvaluationOptions { OutputFormat = OutputFormat.Hierarchical });
        var problems = new List<(string Pointer, string Message)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        Collect(results, problems, seen);

        // The deepest places first: a wrong value is reported where it is, not only as "the rule does not validate".
        return [.. problems.OrderByDescending(p => p.Pointer.Count(c => c == '/')).ThenBy(p => p.Pointer, StringComparer.Ordinal)];
    }

    /// <summary>Builds a schema in a registry of its own (its $id may be built more than once in a process).</summary>
    public static JsonSchema Build(string text) =>
        JsonSchema.FromText(text, new BuildOptions { SchemaRegistry = new SchemaRegistry() });

    private static void Collect(EvaluationResults node, List<(string Pointer, string Message)> problems, HashSet<string> seen)
    {
        // Only failing nodes, and only inside failing nodes: a failed branch of a oneOf that another branch satisfied is no problem.
        if (node.IsValid)
        {
            return;
        }

        var pointer = node.InstanceLocation.ToString();
        if (pointer.StartsWith('#'))
        {
            pointer = pointer[1..];
        }

        if (node.Errors is { } errors)
        {
            foreach (var (keyword, message) in errors)
            {
                var text = Explain(pointer, keyword, message);
                if (seen.Add(pointer + "\n" + text))
                {
                    problems.Add((pointer, text));
                }
            }
        }

        if (node.Details is { } details)
        {
            foreach (var child in details)
            {
                Collect(child, problems, seen);
            }
        }
    }

    private static string Explain(string pointer, string keyword, string message)
    {
        if (keyword == "false" || message.Contains("false schema", StringComparison.OrdinalIgnoreCase))
        {
            var slash = pointer.LastIndexOf('/');
            return $"unknown property '{pointer[(slash + 1)..]}'";
        }

        return message;
    }

    private static string ReadText()
    {
        using var stream = typeof(PolicySchema).Assembly.GetManifestResourceStream("Vna.Policies.policy.schema.json")
            ?? throw new InvalidOperationException("The policy schema is not embedded in Vna.Policies.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
