using System.Text.Json;
using System.Text.Json.Serialization;
using Vna.Core;

namespace Vna.Cli.Import;

/// <summary>
/// Reads the archive options for <c>vna import --config FILE</c>: a JSON file holding the server's configuration (its
/// "Archive" section is used) or that section alone. Property names are case-insensitive, enums are names
/// ("KeepFirst", "SetIfMissing"), comments and trailing commas are allowed; unknown properties are errors, so a typo does not
/// silently drop a coercion rule.
/// </summary>
internal static class ImportConfiguration
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNameCaseInsensitive = true,
        PreferredObjectCreationHandling = JsonObjectCreationHandling.Populate,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The options in <paramref name="path"/>, validated; defaults when <paramref name="path"/> is null.</summary>
    /// <exception cref="ImportConfigurationException">The file cannot be read, is not valid, or describes an inconsistent configuration.</exception>
    public static async Task<ArchiveOptions> LoadAsync(string? path, CancellationToken cancellationToken)
    {
        var options = new ArchiveOptions();
        if (path is not null)
        {
            try
            {
                var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.Asynchronous);
                await using (stream.ConfigureAwait(false))
                {
                    using var document = await JsonDocument.ParseAsync(
                        stream, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }, cancellationToken)
                        .ConfigureAwait(false);
                    var section = FindSection(document.RootElement);
                    options = section.Deserialize<ArchiveOptions>(s_json) ?? options;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException or NotSupportedException)
            {
                throw new ImportConfigurationException($"Cannot read the configuration {path}: {ex.Message}", ex);
            }
        }

        var problems = DepartmentResolver.Validate(options);
        if (problems.Count > 0)
        {
            throw new ImportConfigurationException(
                $"The configuration{(path is null ? string.Empty : " " + path)} is not valid:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", problems)}");
        }

        return options;
    }

    private static JsonElement FindSection(JsonElement root)
    {
        if (root.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in root.EnumerateObject())
            {
                if (string.Equals(property.Name, ArchiveOptions.SectionName, StringComparison.OrdinalIgnoreCase))
                {
                    return property.Value;
                }
            }
        }

        return root;
    }
}
