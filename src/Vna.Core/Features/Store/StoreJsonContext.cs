using System.Text.Json.Serialization;

namespace Vna.Core;

/// <summary>The store's JSON (audit details), generated at build time: no reflection, so the native AOT vna command can carry it.</summary>
[JsonSerializable(typeof(Dictionary<string, string?>))]
internal sealed partial class StoreJsonContext : JsonSerializerContext;
