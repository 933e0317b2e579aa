using System.Text.Json;
using Json.Schema;

namespace Vna.Policies.Tests;

public sealed class ShippedPolicyTests
{
    [Fact]
    public void The_shipped_folder_holds_the_four_documents_the_issue_names()
    {
        var names = ShippedPolicies.Files.Select(Path.GetFileNameWithoutExtension).ToList();
        Assert.Equal(["default", "mammography", "pediatric", "research-hold"], names);
    }

    [Fact]
    public async Task Every_shipped_file_loads_and_they_form_one_set_with_one_default()
    {
        var set = await ShippedPolicies.LoadAllAsync(TestContext.Current.CancellationToken);
        Assert.Equal(4, set.Documents.Count);
        Assert.NotNull(set.Default);
        Assert.Equal("default", set.Default.DocumentName);
        Assert.Contains("mammography@2026.1", set.Version, StringComparison.Ordinal);
        Assert.All(set.Documents, d => Assert.Equal(64, d.Sha256.Length));
    }

    [Fact]
    public void The_embedded_schema_is_the_published_file()
    {
        var published = File.ReadAllText(Path.Combine(ShippedPolicies.Folder, "schema", "policy.schema.json"));
        Assert.Equal(published, PolicySchema.Text);
    }

    [Fact]
    public void Every_shipped_file_validates_against_the_published_schema_read_from_disk()
    {
        // Independent of the loader's own use of the schema: the file on disk, a fresh evaluator, each document as JSON.
        var schema = PolicySchema.Build(File.ReadAllText(Path.Combine(ShippedPolicies.Folder, "schema", "policy.schema.json")));
        foreach (var file in ShippedPolicies.Files)
        {
            var yaml = YamlJson.Parse(File.ReadAllText(file), file);
            using var json = yaml.Json;
            var result = schema.Evaluate(json.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
            Assert.True(result.IsValid, $"{Path.GetFileName(file)}: {JsonSerializer.Serialize(result)}");
        }
    }

    [Fact]
    public void The_schema_refuses_what_the_shipped_files_must_not_contain()
    {
        var schema = PolicySchema.Build(PolicySchema.Text);
        using var bad = JsonDocument.Parse("""{"apiVersion":"vna.policy/v1","name":"x","version":"1","rules":[{"name":"r","match":{},"actions":[{"move":"tepid","after":"1d","since":"ingest"}]}]}""");
        Assert.False(schema.Evaluate(bad.RootElement).IsValid);
    }

    [Fact]
    public async Task Mammography_outranks_the_default_and_research_outranks_both()
    {
        var set = await ShippedPolicies.LoadAllAsync(TestContext.Current.CancellationToken);
        Assert.Equal("mammography", set.Select(Facts.Study(modality: "MG"))!.Name);
        Assert.Equal("default", set.Select(Facts.Study(modality: "CT"))!.Name);
        Assert.Equal("research", set.Select(Facts.Study(modality: "MG", department: "research"))!.Name);
        Assert.Equal("clinical-trial", set.Select(Facts.Study(description: "Phase II trial baseline"))!.Name);
        Assert.Equal("pediatric", set.Select(Facts.Study(birthDate: "20110301"))!.Name);
    }
}
