using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Vna.Policies;

/// <summary>A YAML parser that remembers where the last event it produced ended (for errors the parser reports without a place).</summary>
internal sealed class TrackingParser(IParser inner) : IParser
{
    public Mark LastEnd { get; private set; } = Mark.Empty;

    public ParsingEvent? Current => inner.Current;

    public bool MoveNext()
    {
        var moved = inner.MoveNext();
        if (moved && inner.Current is { } current)
        {
            LastEnd = current.End;
        }

        return moved;
    }
}
