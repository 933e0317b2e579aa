namespace Vna.Policies;

/// <summary>A policy document was refused: every problem found, each at its line and column. Nothing of it was applied.</summary>
public sealed class PolicyValidationException : Exception
{
    public PolicyValidationException()
        : this("The policy document is not valid.", [])
    {
    }

    public PolicyValidationException(string message)
        : this(message, [])
    {
    }

    public PolicyValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    public PolicyValidationException(string source, IReadOnlyList<PolicyError> errors)
        : base(Describe(source, errors))
    {
        Errors = errors;
    }

    public IReadOnlyList<PolicyError> Errors { get; }

    private static string Describe(string source, IReadOnlyList<PolicyError> errors) =>
        errors.Count == 0 ? source : $"{source}: {errors.Count} problem(s):\n  " + string.Join("\n  ", errors);
}
