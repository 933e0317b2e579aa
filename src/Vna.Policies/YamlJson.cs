using System.Globalization;
using System.Text;
using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Vna.Policies;

/// <summary>
/// Turns a YAML document into JSON (for the schema) and remembers where in the YAML each JSON value came from, by JSON
/// pointer, so that schema and semantic errors point at a line and column of the file the officer wrote.
/// </summary>
internal sealed class YamlJson
{
    private readonly Dictionary<string, Mark> _marks = new(StringComparer.Ordinal);

    private YamlJson(JsonDocument json) => Json = json;

    public JsonDocument Json { get; private set; }

    /// <summary>Parses <paramref name="text"/> (one YAML document); a syntax error becomes a <see cref="PolicyValidationException"/>.</summary>
    public static YamlJson Parse(string text, string source)
    {
        var stream = new YamlStream();
        var parser = new TrackingParser(new Parser(new StringReader(text)));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException ex)
        {
            var message = ex.InnerException is { } inner ? $"{ex.Message} {inner.Message}" : ex.Message;
            throw new PolicyValidationException(source, [new PolicyError((int)ex.Start.Line, (int)ex.Start.Column, "", "YAML syntax: " + TrimMark(message))]);
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet gives up without a mark on some unterminated constructs: report where it last read well.
            var at = parser.LastEnd;
            throw new PolicyValidationException(source, [new PolicyError((int)at.Line, (int)at.Column, "", "YAML syntax: the document ends inside an unterminated construct (a [ or { without its closing bracket?)")]);
        }

        if (stream.Documents.Count != 1)
        {
            throw new PolicyValidationException(source, [new PolicyError(1, 1, "", $"A policy file holds exactly one YAML document, not {stream.Documents.Count}.")]);
        }

        var result = new YamlJson(JsonDocument.Parse("null"));
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            result.Write(writer, stream.Documents[0].RootNode, "");
        }

        result.Json.Dispose();
        result.Json = JsonDocument.Parse(buffer.ToArray());
        return result;
    }

    /// <summary>The place of the value at <paramref name="pointer"/>, or of its nearest ancestor that has one.</summary>
    public (int Line, int Column) Where(string pointer)
    {
        var path = pointer;
        while (true)
        {
            if (_marks.TryGetValue(path, out var mark))
            {
                return ((int)mark.Line, (int)mark.Column);
            }

            if (path.Length == 0)
            {
                return (1, 1);
            }

            var slash = path.LastIndexOf('/');
            path = slash <= 0 ? string.Empty : path[..slash];
        }
    }

    public PolicyError Error(string pointer, string message)
    {
        var (line, column) = Where(pointer);
        return new PolicyError(line, column, pointer.Length == 0 ? "/" : pointer, message);
    }

    private void Write(Utf8JsonWriter writer, YamlNode node, string pointer)
    {
        _marks.TryAdd(pointer, node.Start);
        switch (node)
        {
            case YamlMappingNode map:
                writer.WriteStartObject();
                foreach (var (key, value) in map.Children)
                {
                    var name = key is YamlScalarNode scalarKey ? scalarKey.Value ?? string.Empty : key.ToString();
                    writer.WritePropertyName(name);
                    _marks[pointer + "/" + Escape(name)] = key.Start; // a property is reported where its name is
                    Write(writer, value, pointer + "/" + Escape(name));
                }

                writer.WriteEndObject();
                break;
            case YamlSequenceNode sequence:
                writer.WriteStartArray();
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    Write(writer, sequence.Children[i], pointer + "/" + i.ToString(CultureInfo.InvariantCulture));
                }

                writer.WriteEndArray();
                break;
            case YamlScalarNode scalar:
                WriteScalar(writer, scalar);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }

    private static void WriteScalar(Utf8JsonWriter writer, YamlScalarNode scalar)
    {
        var value = scalar.Value ?? string.Empty;
        if (scalar.Style is ScalarStyle.Plain)
        {
            // YAML 1.2 core schema for plain scalars: null, booleans, integers; everything else is text.
            switch (value)
            {
                case "" or "~" or "null" or "Null" or "NULL":
                    writer.WriteNullValue();
                    return;
                case "true" or "True" or "TRUE":
                    writer.WriteBooleanValue(true);
                    return;
                case "false" or "False" or "FALSE":
                    writer.WriteBooleanValue(false);
                    return;
            }

            if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
            {
                writer.WriteNumberValue(number);
                return;
            }
        }

        writer.WriteStringValue(value);
    }

    private static string Escape(string name) => name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private static string TrimMark(string message)
    {
        // YamlDotNet prefixes "(Line: x, Col: y, Idx: z) - (…): "; the line and column are reported separately.
        var builder = new StringBuilder(message);
        var close = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line", StringComparison.Ordinal) && close > 0 ? builder.Remove(0, close + 3).ToString() : message;
    }
}
