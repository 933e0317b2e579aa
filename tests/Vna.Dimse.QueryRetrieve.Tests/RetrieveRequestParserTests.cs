using Vna.Core;
using Vna.Dicom;

namespace Vna.Dimse.QueryRetrieve.Tests;

public sealed class RetrieveRequestParserTests
{
    [Fact]
    public void A_study_level_retrieve_takes_a_list_of_study_uids()
    {
        var identifier = QrData.Identifier("STUDY", (DicomTag.StudyInstanceUID, @"1.2.3\1.2.4"));

        var selection = RetrieveRequestParser.Parse(identifier, QueryRetrieveModel.StudyRoot, out var problem);

        Assert.Null(problem);
        Assert.Equal(QueryLevel.Study, selection!.Level);
        Assert.Equal(["1.2.3", "1.2.4"], selection.StudyInstanceUids);
    }

    [Fact]
    public void An_image_level_retrieve_keeps_the_keys_above_it()
    {
        var identifier = QrData.Identifier("IMAGE", (DicomTag.StudyInstanceUID, "1.2.3"), (DicomTag.SeriesInstanceUID, "1.2.3.4"), (DicomTag.SOPInstanceUID, @"1.2.3.4.5\1.2.3.4.6"));

        var selection = RetrieveRequestParser.Parse(identifier, QueryRetrieveModel.StudyRoot, out _);

        Assert.Equal(["1.2.3"], selection!.StudyInstanceUids);
        Assert.Equal(["1.2.3.4"], selection.SeriesInstanceUids);
        Assert.Equal(["1.2.3.4.5", "1.2.3.4.6"], selection.SopInstanceUids);
    }

    [Theory]
    [InlineData("PATIENT", QueryRetrieveModel.PatientRoot)]
    [InlineData("STUDY", QueryRetrieveModel.StudyRoot)]
    [InlineData("SERIES", QueryRetrieveModel.StudyRoot)]
    [InlineData("IMAGE", QueryRetrieveModel.PatientRoot)]
    public void The_unique_key_of_the_retrieve_level_is_required(string level, QueryRetrieveModel model)
    {
        var identifier = QrData.Identifier(level, (DicomTag.PatientName, "DOE*"));

        Assert.Null(RetrieveRequestParser.Parse(identifier, model, out var problem));
        Assert.Equal(0xA900, problem!.Status);
        Assert.Single(problem.OffendingElements);
    }

    [Fact]
    public void A_uid_list_above_the_retrieve_level_is_refused()
    {
        var identifier = QrData.Identifier("SERIES", (DicomTag.StudyInstanceUID, @"1.2.3\1.2.4"), (DicomTag.SeriesInstanceUID, "1.2.3.4"));

        Assert.Null(RetrieveRequestParser.Parse(identifier, QueryRetrieveModel.StudyRoot, out var problem));
        Assert.Equal([DicomTag.StudyInstanceUID], problem!.OffendingElements);
    }

    [Theory]
    [InlineData("1.2.*")]
    [InlineData("1.2.3?")]
    [InlineData("abc")]
    public void Wildcards_and_garbage_are_not_uids(string value)
    {
        var identifier = QrData.Identifier("STUDY", (DicomTag.StudyInstanceUID, value));

        Assert.Null(RetrieveRequestParser.Parse(identifier, QueryRetrieveModel.StudyRoot, out var problem));
        Assert.Equal(0xA900, problem!.Status);
    }

    [Fact]
    public void A_patient_level_retrieve_needs_a_patient_id_and_not_a_wildcard()
    {
        Assert.NotNull(RetrieveRequestParser.Parse(QrData.Identifier("PATIENT", (DicomTag.PatientID, "P1")), QueryRetrieveModel.PatientRoot, out _));
        Assert.Null(RetrieveRequestParser.Parse(QrData.Identifier("PATIENT", (DicomTag.PatientID, "*")), QueryRetrieveModel.PatientRoot, out _));
        Assert.Null(RetrieveRequestParser.Parse(QrData.Identifier("PATIENT", (DicomTag.PatientID, "P1")), QueryRetrieveModel.StudyRoot, out _));
    }
}
