using Vna.Dicom.Generators;

// Generates src/Vna.Dicom/Generated/{DicomDictionary,DicomTag,DicomUid}.g.cs from pydicom's dictionaries plus
// supplement.tsv. The output is sorted and has no timestamps, so running it again on the same inputs changes nothing.
try
{
    var options = GeneratorOptions.Parse(args);
    if (options is null)
    {
        Console.WriteLine(GeneratorOptions.Usage);
        return 0;
    }

    return Generator.Run(options, Console.Out);
}
catch (Exception ex) when (ex is FormatException or IOException or ArgumentException or InvalidOperationException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 2;
}
