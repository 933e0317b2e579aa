using Npgsql;
using NpgsqlTypes;

namespace Vna.Index.Postgres.Query;

/// <summary>
/// The positional parameters ($1, $2…) of a translated query. Values are never written into SQL text; a parameter can
/// be materialised for several commands (the count and the page), each with its own <see cref="NpgsqlParameter"/>.
/// </summary>
internal sealed class SqlParameters
{
    private readonly List<(object Value, NpgsqlDbType Type)> _values = [];

    public int Count => _values.Count;

    /// <summary>Adds a text parameter and returns its placeholder.</summary>
    public string Text(string value) => Add(value, NpgsqlDbType.Text);

    /// <summary>Adds a text[] parameter and returns its placeholder.</summary>
    public string TextArray(IReadOnlyCollection<string> values) => Add(values.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);

    /// <summary>Adds a smallint[] parameter and returns its placeholder.</summary>
    public string SmallintArray(IReadOnlyCollection<short> values) => Add(values.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Smallint);

    /// <summary>Fresh parameters, in placeholder order, for one command.</summary>
    public IEnumerable<NpgsqlParameter> Create() =>
        _values.Select(v => new NpgsqlParameter { Value = v.Value, NpgsqlDbType = v.Type });

    private string Add(object value, NpgsqlDbType type)
    {
        _values.Add((value, type));
        return "$" + _values.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
