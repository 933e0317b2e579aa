using Vna.Dicom;
using Vna.Testing;

namespace Vna.Dimse.Tests;

/// <summary>A small synthetic CT data set (no File Meta Information) in Explicit VR Little Endian, as a C-STORE carries it.</summary>
internal sealed record SyntheticDataset(string SopInstanceUid, string StudyInstanceUid, byte[] Dataset)
{
    public const string CtImageStorage = SyntheticCt.CtImageStorage;

    private static int s_study = 7000;

    public static async Task<SyntheticDataset> CreateAsync(CancellationToken cancellationToken, int size = 64)
    {
        var instance = SyntheticCt.CreateStudy(Interlocked.Increment(ref s_study), 1, 1)[0] with { Rows = size, Columns = size };
        using var buffer = new MemoryStream();
        await DicomWriter.WriteDatasetAsync(buffer, SyntheticCt.ToDataset(instance), DicomTransferSyntax.ExplicitVRLittleEndian, null, cancellationToken);
        return new SyntheticDataset(instance.SopInstanceUid!, instance.EffectiveStudyInstanceUid!, buffer.ToArray());
    }
}
