namespace Vna.Bench.QrFind;

/// <summary>A command word followed by --name value pairs.</summary>
internal sealed class Args
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public string Command { get; private init; } = string.Empty;

    public static Args Parse(string[] args)
    {
        var result = new Args { Command = args.Length > 0 ? args[0] : string.Empty };
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            result._values[args[i].TrimStart('-')] = args[i + 1];
        }

        return result;
    }

    public string Get(string name, string fallback) => _values.TryGetValue(name, out var value) ? value : fallback;
}
