using Vna.Core;
using Vna.Dicom;

namespace Vna.Dimse.QueryRetrieve.Tests;

public sealed class FindRequestParserTests
{
    [Theory]
    [InlineData(QueryRetrieveModel.PatientRoot, "PATIENT", QueryLevel.Patient)]
    [InlineData(QueryRetrieveModel.PatientRoot, "STUDY", QueryLevel.Study)]
    [InlineData(QueryRetrieveModel.StudyRoot, "STUDY", QueryLevel.Study)]
    [InlineData(QueryRetrieveModel.StudyRoot, "SERIES", QueryLevel.Series)]
    [InlineData(QueryRetrieveModel.StudyRoot, "IMAGE", QueryLevel.Image)]
    public void Every_level_of_each_model_becomes_an_index_query(QueryRetrieveModel model, string term, QueryLevel level)
    {
        var identifier = QrData.Identifier(term, (DicomTag.PatientName, "DOE*"));

        var find = FindRequestParser.Parse(identifier, model, out var problem);

        Assert.Null(problem);
        Assert.NotNull(find);
        Assert.Equal(level, find.Query.Level);
        Assert.Equal(model == QueryRetrieveModel.PatientRoot, find.Query.PatientRoot);
        Assert.Same(identifier, find.Query.Identifier);
    }

    [Fact]
    public void The_study_root_has_no_patient_level()
    {
        var find = FindRequestParser.Parse(QrData.Identifier("PATIENT"), QueryRetrieveModel.StudyRoot, out var problem);

        Assert.Null(find);
        Assert.Equal(QueryRetrieveStatus.IdentifierDoesNotMatchSopClass, problem!.Status);
        Assert.Equal([DicomTag.QueryRetrieveLevel], problem.OffendingElements);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("STUDIES")]
    [InlineData("study")]
    public void A_missing_or_unknown_level_is_refused_with_a900(string? term)
    {
        var identifier = new DicomDataset();
        if (term is not null)
        {
            identifier.AddOrUpdate(DicomTag.QueryRetrieveLevel, DicomVR.CS, term);
        }

        identifier.AddOrUpdate(DicomTag.PatientID, DicomVR.LO, "X");

        var find = FindRequestParser.Parse(identifier, QueryRetrieveModel.StudyRoot, out var problem);

        Assert.Null(find);
        Assert.Equal(0xA900, problem!.Status);
    }

    [Fact]
    public void An_unknown_character_set_is_refused_rather_than_matched_wrongly()
    {
        var identifier = QrData.Identifier("STUDY", (DicomTag.PatientName, "X*"));
        identifier.AddOrUpdate(DicomTag.SpecificCharacterSet, DicomVR.CS, "ISO_IR 999");

        var find = FindRequestParser.Parse(identifier, QueryRetrieveModel.StudyRoot, out var problem);

        Assert.Null(find);
        Assert.Equal([DicomTag.SpecificCharacterSet], problem!.OffendingElements);
    }

    [Fact]
    public void A_sequence_key_with_two_items_is_refused()
    {
        var identifier = QrData.Identifier("STUDY");
        var sequence = new DicomSequence(DicomTag.IssuerOfAccessionNumberSequence);
        identifier.AddOrUpdate(sequence);
        sequence.Add(new DicomDataset());
        sequence.Add(new DicomDataset());

        Assert.Null(FindRequestParser.Parse(identifier, QueryRetrieveModel.StudyRoot, out var problem));
        Assert.Equal(0xA900, problem!.Status);
    }

    [Fact]
    public void Retrieve_ae_title_and_character_set_are_noted_for_the_responses()
    {
        var identifier = QrData.Identifier("STUDY", (DicomTag.RetrieveAETitle, ""));
        identifier.AddOrUpdate(DicomTag.SpecificCharacterSet, DicomVR.CS, "ISO_IR 100");

        var find = FindRequestParser.Parse(identifier, QueryRetrieveModel.StudyRoot, out _);

        Assert.True(find!.ReturnRetrieveAeTitle);
        Assert.Equal("ISO_IR 100", find.RequestCharacterSet);
    }
}
