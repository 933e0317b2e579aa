namespace Vna.Dicom.Generators;

/// <summary>The command line: input files, output folder and mode.</summary>
internal sealed record GeneratorOptions(
    string DicomDictPath,
    string UidDictPath,
    string PrivateDictPath,
    string SupplementPath,
    string SourceDirectory,
    string OutputDirectory,
    bool Check)
{
    public const string DefaultPydicomDirectory = "/usr/lib/python3/dist-packages/pydicom";

    public const string Usage = """
        Generates src/Vna.Dicom/Generated/*.g.cs from pydicom's data dictionaries.

        Usage: dotnet run --project src/Vna.Dicom.Generators -- [options]

          --pydicom DIR        folder holding _dicom_dict.py, _uid_dict.py, _private_dict.py and _version.py
                               (default /usr/lib/python3/dist-packages/pydicom, Debian's python3-pydicom)
          --dicom-dict FILE    the public dictionary (default DIR/_dicom_dict.py)
          --uid-dict FILE      the UID registry (default DIR/_uid_dict.py)
          --private-dict FILE  the private dictionary (default DIR/_private_dict.py)
          --supplement FILE    entries applied on top (default src/Vna.Dicom.Generators/supplement.tsv)
          --source DIR         the Vna.Dicom sources, scanned for member names to avoid (default src/Vna.Dicom)
          --output DIR         where to write the .g.cs files (default src/Vna.Dicom/Generated)
          --check              write nothing; exit 1 when a generated file is missing or differs
          -h, --help           this text

        Relative defaults are under the repository root, found by walking up from the current folder to Vna.sln.
        """;

    /// <summary>Parses <paramref name="args"/>; null when help was asked for.</summary>
    public static GeneratorOptions? Parse(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var check = false;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "-h" or "--help":
                    return null;
                case "--check":
                    check = true;
                    break;
                case "--pydicom" or "--dicom-dict" or "--uid-dict" or "--private-dict" or "--supplement" or "--source" or "--output":
                    if (i + 1 >= args.Length)
                    {
                        throw new ArgumentException($"{arg} needs a value.");
                    }

                    values[arg] = Path.GetFullPath(args[++i]);
                    break;
                default:
                    throw new ArgumentException($"Unknown argument '{arg}'. Use --help.");
            }
        }

        var pydicom = values.GetValueOrDefault("--pydicom", DefaultPydicomDirectory);
        var needRoot = !values.ContainsKey("--supplement") || !values.ContainsKey("--source") || !values.ContainsKey("--output");
        var root = needRoot ? FindRepositoryRoot() : string.Empty;
        return new GeneratorOptions(
            values.GetValueOrDefault("--dicom-dict", Path.Combine(pydicom, "_dicom_dict.py")),
            values.GetValueOrDefault("--uid-dict", Path.Combine(pydicom, "_uid_dict.py")),
            values.GetValueOrDefault("--private-dict", Path.Combine(pydicom, "_private_dict.py")),
            values.GetValueOrDefault("--supplement", Path.Combine(root, "src", "Vna.Dicom.Generators", "supplement.tsv")),
            values.GetValueOrDefault("--source", Path.Combine(root, "src", "Vna.Dicom")),
            values.GetValueOrDefault("--output", Path.Combine(root, "src", "Vna.Dicom", "Generated")),
            check);
    }

    /// <summary>The nearest folder holding Vna.sln, from the current folder up, else from the program's folder up.</summary>
    private static string FindRepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Vna.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("Vna.sln not found above the current folder: run from the repository or pass --supplement, --source and --output.");
    }
}
