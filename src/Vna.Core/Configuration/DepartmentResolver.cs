namespace Vna.Core;

/// <summary>
/// Finds the department a caller belongs to: by calling AE title (DIMSE) or by name (tokens, <c>vna import --department</c>).
/// A caller that matches none belongs to <see cref="ArchiveOptions.DefaultDepartment"/>, which need not be listed (it then
/// has no AE titles, no issuer, no coercions and every operation), or is refused when there is no default department.
/// </summary>
public sealed class DepartmentResolver
{
    /// <summary>The operations a department may be allowed (<see cref="DepartmentOptions.AllowedOperations"/>).</summary>
    public static IReadOnlyList<string> KnownOperations { get; } = ["store", "query", "retrieve", "commit"];

    private readonly ArchiveOptions _options;

    public DepartmentResolver(ArchiveOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        DefaultDepartment = options.DefaultDepartment is { Length: > 0 } name
            ? FindListed(name) ?? new DepartmentOptions { Name = name }
            : null;
    }

    /// <summary>The department of callers that match no other, or null when unknown callers are refused.</summary>
    public DepartmentOptions? DefaultDepartment { get; }

    /// <summary>The department whose AE titles include <paramref name="callingAeTitle"/> (compared exactly, surrounding spaces ignored), else the default.</summary>
    public DepartmentOptions? ResolveByAeTitle(string? callingAeTitle)
    {
        var ae = callingAeTitle?.Trim();
        if (!string.IsNullOrEmpty(ae))
        {
            foreach (var department in _options.Departments)
            {
                if (department.AeTitles.Any(t => string.Equals(t.Trim(), ae, StringComparison.Ordinal)))
                {
                    return department;
                }
            }
        }

        return DefaultDepartment;
    }

    /// <summary>The department named <paramref name="name"/> (case-insensitive), or null.</summary>
    public DepartmentOptions? FindByName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        var listed = FindListed(name);
        if (listed is not null)
        {
            return listed;
        }

        return DefaultDepartment is not null && string.Equals(DefaultDepartment.Name, name.Trim(), StringComparison.OrdinalIgnoreCase)
            ? DefaultDepartment
            : null;
    }

    /// <summary>
    /// What is wrong with the departments of <paramref name="options"/>: empty or repeated names, AE titles that are invalid or
    /// claimed by two departments, unknown operations, coercion rules that cannot be applied. Empty when all is well.
    /// </summary>
    public static IReadOnlyList<string> Validate(ArchiveOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (options.MaxObjectSize < 0)
        {
            problems.Add("MaxObjectSize must not be negative (0: no limit).");
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var aeOwners = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Departments.Count; i++)
        {
            var department = options.Departments[i];
            var label = string.IsNullOrWhiteSpace(department.Name) ? $"Department #{i + 1}" : $"Department '{department.Name}'";
            if (string.IsNullOrWhiteSpace(department.Name))
            {
                problems.Add($"{label} has no name.");
            }
            else if (!names.Add(department.Name.Trim()))
            {
                problems.Add($"{label} is listed more than once.");
            }

            foreach (var title in department.AeTitles)
            {
                var ae = title?.Trim() ?? string.Empty;
                if (ae.Length is 0 or > 16 || ae.Contains('\\', StringComparison.Ordinal) || ae.Any(char.IsControl))
                {
                    problems.Add($"{label}: '{title}' is not an AE title (1 to 16 characters, no backslash or control characters).");
                }
                else if (aeOwners.TryGetValue(ae, out var owner))
                {
                    problems.Add($"{label}: AE title '{ae}' also belongs to department '{owner}'.");
                }
                else
                {
                    aeOwners[ae] = department.Name;
                }
            }

            foreach (var operation in department.AllowedOperations)
            {
                if (!KnownOperations.Contains(operation, StringComparer.OrdinalIgnoreCase))
                {
                    problems.Add($"{label}: unknown operation '{operation}' (known: {string.Join(", ", KnownOperations)}).");
                }
            }

            foreach (var destination in department.MoveDestinations)
            {
                if (destination.Port is < 1 or > 65535 || string.IsNullOrWhiteSpace(destination.AeTitle) || string.IsNullOrWhiteSpace(destination.Host))
                {
                    problems.Add($"{label}: move destination '{destination.AeTitle}' needs an AE title, a host and a port from 1 to 65535.");
                }
            }

            foreach (var problem in AttributeCoercer.Validate(department))
            {
                problems.Add($"{label}: {problem}");
            }
        }

        return problems;
    }

    private DepartmentOptions? FindListed(string name)
    {
        var trimmed = name.Trim();
        return _options.Departments.FirstOrDefault(d => string.Equals(d.Name?.Trim(), trimmed, StringComparison.OrdinalIgnoreCase));
    }
}
