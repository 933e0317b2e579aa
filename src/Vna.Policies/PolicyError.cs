namespace Vna.Policies;

/// <summary>One problem in a policy document, at a line and column (1-based; 0 when the problem has no place).</summary>
public sealed record PolicyError(int Line, int Column, string Path, string Message)
{
    public override string ToString() => Line > 0 ? $"line {Line}, column {Column} ({Path}): {Message}" : $"{Path}: {Message}";
}
