namespace Vna.Dicom.Tests;

/// <summary>
/// <see cref="DicomWriter.WriteFileHeaderAsync"/>: preamble and meta group only, so that a data set received as bytes can
/// follow them (what <c>vna get</c> does). Deflated is the case an empty data set would break: its deflate stream is not empty.
/// </summary>
public sealed class FileHeaderTests
{
    [Theory]
    [InlineData("1.2.840.10008.1.2.1.99")]
    [InlineData("1.2.840.10008.1.2.1")]
    [InlineData("1.2.840.10008.1.2")]
    public async Task A_header_then_the_data_set_bytes_make_a_file_that_reads_back_whole(string syntaxUid)
    {
        var ct = TestContext.Current.CancellationToken;
        var syntax = DicomTransferSyntax.Parse(syntaxUid);
        var dataset = new DicomDataset();
        dataset.AddOrUpdate(DicomTag.SOPClassUID, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.7");
        dataset.AddOrUpdate(DicomTag.SOPInstanceUID, DicomVR.UI, "2.25.1234567");
        dataset.AddOrUpdate(DicomTag.PatientName, DicomVR.PN, "Header^Test");
        dataset.AddOrUpdate(DicomTag.StudyDescription, DicomVR.LO, new string('x', 5000));
        using var body = new MemoryStream();
        await DicomWriter.WriteDatasetAsync(body, dataset, syntax, null, ct);

        using var file = new MemoryStream();
        await DicomWriter.WriteFileHeaderAsync(file, DicomWriter.CreateFileMetaInformation(dataset, syntax), syntax, null, ct);
        var headerLength = file.Length;
        body.Position = 0;
        await body.CopyToAsync(file, ct);
        file.Position = 0;
        using var read = await DicomReader.ReadAsync(file, null, null, ct);

        Assert.Equal(syntaxUid, read.TransferSyntax.Uid);
        Assert.Equal(syntaxUid, read.FileMetaInformation.GetString(DicomTag.TransferSyntaxUID));
        Assert.Equal("Header^Test", read.Dataset.GetString(DicomTag.PatientName));
        Assert.Equal(5000, read.Dataset.GetString(DicomTag.StudyDescription)!.Length);
        Assert.Equal(132L + 12 + read.FileMetaInformation.GetValue<uint>(DicomTag.FileMetaInformationGroupLength)!.Value, headerLength);
    }
}
