using System.Net;
using System.Text.Json;

namespace Vna.Cli.Admin;

/// <summary>The archive's answer to an admin call: its status and its JSON body (an empty object when it had none).</summary>
internal sealed record AdminAnswer(HttpStatusCode Status, JsonDocument Json) : IDisposable
{
    public JsonElement Root => Json.RootElement;

    public bool Ok => (int)Status is >= 200 and < 300;

    /// <summary>A problem details' "detail", or null.</summary>
    public string? Detail => Root.ValueKind == JsonValueKind.Object && Root.TryGetProperty("detail", out var d) ? d.GetString() : null;

    public void Dispose() => Json.Dispose();
}
