namespace Vna.Core.Tests;

public sealed class DepartmentResolverTests
{
    [Fact]
    public void Resolves_by_ae_title_exactly_else_the_default()
    {
        var options = Options();

        var resolver = new DepartmentResolver(options);

        Assert.Equal("radiology", resolver.ResolveByAeTitle("RAD_PACS")?.Name);
        Assert.Equal("radiology", resolver.ResolveByAeTitle(" RAD_CT1  ")?.Name);
        Assert.Equal("cardiology", resolver.ResolveByAeTitle("CARD")?.Name);
        Assert.Equal("default", resolver.ResolveByAeTitle("rad_pacs")?.Name);
        Assert.Equal("default", resolver.ResolveByAeTitle("STRANGER")?.Name);
        Assert.Equal("default", resolver.ResolveByAeTitle(null)?.Name);
    }

    [Fact]
    public void Without_a_default_department_unknown_callers_are_refused()
    {
        var options = Options();
        options.DefaultDepartment = null;

        var resolver = new DepartmentResolver(options);

        Assert.Null(resolver.ResolveByAeTitle("STRANGER"));
        Assert.Null(resolver.FindByName("default"));
        Assert.Null(resolver.DefaultDepartment);
    }

    [Fact]
    public void Finds_by_name_ignoring_case_and_a_listed_default_is_the_listed_one()
    {
        var options = Options();
        options.DefaultDepartment = "Cardiology";

        var resolver = new DepartmentResolver(options);

        Assert.Same(options.Departments[0], resolver.FindByName("RADIOLOGY"));
        Assert.Same(options.Departments[1], resolver.DefaultDepartment);
        Assert.Same(options.Departments[1], resolver.ResolveByAeTitle("STRANGER"));
        Assert.Null(resolver.FindByName("oncology"));
        Assert.Null(resolver.FindByName(" "));
    }

    [Fact]
    public void An_unlisted_default_department_has_no_issuer_no_coercions_and_every_operation()
    {
        var resolver = new DepartmentResolver(new ArchiveOptions());

        var department = resolver.FindByName("default");

        Assert.NotNull(department);
        Assert.Null(department.IssuerOfPatientId);
        Assert.Empty(department.Coercions);
        Assert.True(department.Allows("store"));
    }

    [Fact]
    public void Validate_reports_repeated_names_shared_ae_titles_and_bad_rules()
    {
        var options = Options();
        var again = new DepartmentOptions { Name = "Radiology" };
        again.AeTitles.Add("CARD");
        again.AeTitles.Add("A_TITLE_FAR_TOO_LONG");
        again.AllowedOperations.Add("delete");
        again.Coercions.Add(new CoercionRule { Action = CoercionAction.Remove, Tag = "(0002,0010)" });
        options.Departments.Add(again);

        var problems = DepartmentResolver.Validate(options);

        Assert.Equal(5, problems.Count);
        Assert.Contains(problems, p => p.Contains("listed more than once", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("also belongs to department 'cardiology'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("is not an AE title", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("unknown operation 'delete'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("cannot be coerced", StringComparison.Ordinal));
        Assert.Empty(DepartmentResolver.Validate(Options()));
    }

    private static ArchiveOptions Options()
    {
        var options = new ArchiveOptions();
        var radiology = new DepartmentOptions { Name = "radiology", IssuerOfPatientId = "HOSP_RAD" };
        radiology.AeTitles.Add("RAD_PACS");
        radiology.AeTitles.Add("RAD_CT1");
        var cardiology = new DepartmentOptions { Name = "cardiology", IssuerOfPatientId = "HOSP_CARD" };
        cardiology.AeTitles.Add("CARD");
        options.Departments.Add(radiology);
        options.Departments.Add(cardiology);
        return options;
    }
}
