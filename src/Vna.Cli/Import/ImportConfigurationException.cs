namespace Vna.Cli.Import;

/// <summary>The import cannot start: bad configuration, unknown department, data folder in use. Exit code 1.</summary>
internal sealed class ImportConfigurationException : Exception
{
    public ImportConfigurationException()
    {
    }

    public ImportConfigurationException(string message)
        : base(message)
    {
    }

    public ImportConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
