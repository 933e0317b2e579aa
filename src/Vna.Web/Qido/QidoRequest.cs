using Vna.Core;

namespace Vna.Web.Qido;

/// <summary>A parsed QIDO-RS request: the index query, the image attributes to fill in afterwards, and the warnings to send.</summary>
internal sealed record QidoRequest(IndexQuery Query, IReadOnlyList<string> Warnings);
