namespace Vna.Cli.Tests;

/// <summary>One row of ../shared/dicom-samples/MANIFEST.tsv.</summary>
internal sealed record ManifestRow(string File, string Source, string Licence, string SopClassUid, string TransferSyntaxUid, string Notes);
