namespace Vna.Policies.Tests;

public sealed class BadPolicyTests
{
    private const string Valid = """
        apiVersion: vna.policy/v1
        name: test
        version: "1"
        rules:
          - name: ct
            match:
              modalities: [CT]
            actions:
              - move: warm
                after: 30d
                since: ingest
        """;

    [Fact]
    public void A_valid_document_loads()
    {
        var document = PolicyLoader.Parse(Valid, "test.yaml");
        Assert.Equal("ct", Assert.Single(document.Rules).Name);
    }

    [Fact]
    public void An_unknown_property_is_reported_at_its_line_and_column()
    {
        var text = Valid.Replace("modalities: [CT]", "modalities: [CT]\n      modality: CT", StringComparison.Ordinal);
        var error = Assert.Throws<PolicyValidationException>(() => PolicyLoader.Parse(text, "test.yaml"));
        var problem = Assert.Single(error.Errors, e => e.Message.Contains("modality", StringComparison.Ordinal));
        Assert.Equal(8, problem.Line);
        Assert.Equal(7, problem.Column);
        Assert.Contains("line 8, column 7", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_value_is_reported_where_it_is()
    {
        var text = Valid.Replace("move: warm", "move: tepid", StringComparison.Ordinal).Replace("after: 30d", "after: 30 days", StringComparison.Ordinal);
        var error = Assert.Throws<PolicyValidationException>(() => PolicyLoader.Parse(text, "test.yaml"));
        Assert.Contains(error.Errors, e => e.Line == 9 && e.Path == "/rules/0/actions/0/move");
        Assert.Contains(error.Errors, e => e.Line == 10 && e.Path == "/rules/0/actions/0/after");
        Assert.Equal(2, error.Errors.Count);
    }

    [Fact]
    public void A_yaml_syntax_error_has_a_line_number()
    {
        var text = Valid.Replace("match:", "match: [", StringComparison.Ordinal);
        var error = Assert.Throws<PolicyValidationException>(() => PolicyLoader.Parse(text, "test.yaml"));
        var problem = Assert.Single(error.Errors);
        Assert.True(problem.Line >= 6, problem.ToString());
        Assert.StartsWith("YAML syntax", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_regular_expression_that_does_not_compile_is_refused_at_its_line()
    {
        var text = Valid.Replace("modalities: [CT]", "studyDescription: \"(unclosed\"", StringComparison.Ordinal);
        var error = Assert.Throws<PolicyValidationException>(() => PolicyLoader.Parse(text, "test.yaml"));
        var problem = Assert.Single(error.Errors);
        Assert.Equal(7, problem.Line);
        Assert.Contains("regular expression", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sense_checks_report_every_problem_at_once()
    {
        const string text = """
            apiVersion: vna.policy/v1
            name: test
            version: "1"
            rules:
              - name: twice
                match: { patientAge: { min: 40, max: 18 } }
                actions:
                  - { move: warm, after: 2y, since: ingest }
                  - { move: cold, after: 1y, since: ingest }
                  - { expire: true, after: 5y, since: studyDate }
                  - { expire: true, after: 6y, since: studyDate }
              - name: twice
                match: {}
                actions: []
            """;
        var error = Assert.Throws<PolicyValidationException>(() => PolicyLoader.Parse(text, "test.yaml"));
        Assert.Contains(error.Errors, e => e.Line == 6 && e.Message.Contains("above max", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.Line == 9 && e.Message.Contains("before the move to warm", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.Line == 11 && e.Message.Contains("second expire", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.Line == 12 && e.Message.Contains("used twice", StringComparison.Ordinal));
    }

    [Fact]
    public void Two_documents_with_a_default_are_refused_as_a_set_and_the_set_in_force_stays()
    {
        var one = PolicyLoader.Parse(Valid + "\ndefault:\n  actions: []\n", "one.yaml");
        var other = PolicyLoader.Parse(Valid.Replace("name: test", "name: other", StringComparison.Ordinal) + "\ndefault:\n  actions: []\n", "other.yaml");
        var inForce = PolicySet.Create([one]);
        var error = Assert.Throws<PolicyValidationException>(() => inForce.With(other));
        Assert.Contains("only one active document may declare a default", error.Message, StringComparison.Ordinal);
        Assert.Equal("test@1", inForce.Version);
    }

    [Fact]
    public void Missing_required_fields_are_named()
    {
        var error = Assert.Throws<PolicyValidationException>(() => PolicyLoader.Parse("apiVersion: vna.policy/v1\nname: x\n", "x.yaml"));
        Assert.Contains(error.Errors, e => e.Message.Contains("version", StringComparison.Ordinal));
    }
}
