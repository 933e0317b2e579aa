using System.Text.Json.Serialization;

namespace Vna.Cli.Admin;

/// <summary>Source-generated JSON for the admin commands' request bodies (the CLI is published native AOT).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(HoldBody))]
[JsonSerializable(typeof(ReleaseBody))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
