using System.Text;

namespace Vna.Dicom.Generators;

/// <summary>The Python string literals of the pydicom dictionaries, read without running Python.</summary>
internal static class PythonLiteral
{
    /// <summary>A regex fragment matching one single- or double-quoted Python string literal (no prefixes, no triple quotes).</summary>
    public const string StringPattern = """(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")""";

    /// <summary>The value of a literal matched by <see cref="StringPattern"/>.</summary>
    public static string Unquote(string literal)
    {
        ArgumentNullException.ThrowIfNull(literal);
        if (literal.Length < 2 || literal[0] != literal[^1] || literal[0] is not ('\'' or '"'))
        {
            throw new FormatException($"Not a Python string literal: {literal}");
        }

        var body = literal.AsSpan(1, literal.Length - 2);
        if (!body.Contains('\\'))
        {
            return body.ToString();
        }

        var sb = new StringBuilder(body.Length);
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c != '\\' || i == body.Length - 1)
            {
                sb.Append(c);
                continue;
            }

            var next = body[++i];
            sb.Append(next switch
            {
                '\\' => '\\',
                '\'' => '\'',
                '"' => '"',
                'n' => '\n',
                't' => '\t',
                _ => throw new FormatException($"Unsupported escape '\\{next}' in {literal}"),
            });
        }

        return sb.ToString();
    }

    /// <summary>pydicom writes 'Retired' (or, in older private dictionaries, 'R') for a retired entry and '' otherwise.</summary>
    public static bool ParseRetired(string text) => text switch
    {
        "" => false,
        "Retired" or "R" => true,
        _ => throw new FormatException($"Unexpected retired flag '{text}'."),
    };
}
