using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Vna.Web.Http;

/// <summary>Parses Accept headers (several headers, lists, quality values) into <see cref="AcceptedType"/>s, best first.</summary>
internal static class AcceptHeader
{
    public static IReadOnlyList<AcceptedType> Parse(HttpRequest request)
    {
        var values = request.Headers.Accept;
        if (StringValues.IsNullOrEmpty(values))
        {
            return [];
        }

        if (!MediaTypeHeaderValue.TryParseList(values, out var parsed))
        {
            return [];
        }

        var result = new List<AcceptedType>(parsed.Count);
        foreach (var value in parsed)
        {
            string? type = null, syntax = null;
            foreach (var parameter in value.Parameters)
            {
                var name = parameter.Name.Value;
                var raw = HeaderUtilities.RemoveQuotes(parameter.Value).Value;
                if (string.Equals(name, "type", StringComparison.OrdinalIgnoreCase))
                {
                    type = raw;
                }
                else if (string.Equals(name, "transfer-syntax", StringComparison.OrdinalIgnoreCase))
                {
                    syntax = raw;
                }
            }

            result.Add(new AcceptedType(value.MediaType.Value ?? "*/*", type, syntax, value.Quality ?? 1.0));
        }

        return result.Where(a => a.Quality > 0).OrderByDescending(a => a.Quality).ToArray();
    }
}
