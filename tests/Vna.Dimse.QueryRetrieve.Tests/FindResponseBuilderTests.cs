using System.Text;
using Vna.Core;
using Vna.Dicom;

namespace Vna.Dimse.QueryRetrieve.Tests;

public sealed class FindResponseBuilderTests
{
    [Fact]
    public void A_latin1_requester_gets_its_own_character_set_back_when_it_holds_every_value()
    {
        var match = Utf8Match("Müller^Jürgen");
        var response = FindResponseBuilder.Build(match, Query("ISO_IR 100"), null);

        Assert.Equal("ISO_IR 100", response.GetString(DicomTag.SpecificCharacterSet));
        Assert.Equal(Encoding.Latin1.GetBytes("Müller^Jürgen"), response.GetElement(DicomTag.PatientName)!.InlineValue.ToArray()[..13]);
        Assert.Equal("Müller^Jürgen", response.GetString(DicomTag.PatientName));
    }

    [Fact]
    public void A_value_the_requested_set_cannot_hold_goes_out_in_utf8()
    {
        var match = Utf8Match("山田^太郎");
        var response = FindResponseBuilder.Build(match, Query("ISO_IR 100"), null);

        Assert.Equal("ISO_IR 192", response.GetString(DicomTag.SpecificCharacterSet));
        Assert.Equal("山田^太郎", response.GetString(DicomTag.PatientName));
    }

    [Fact]
    public void A_utf8_requester_gets_utf8()
    {
        var response = FindResponseBuilder.Build(Utf8Match("Øster^Åse"), Query("ISO_IR 192"), null);

        Assert.Equal("ISO_IR 192", response.GetString(DicomTag.SpecificCharacterSet));
        Assert.Equal(Encoding.UTF8.GetBytes("Øster^Åse"), response.GetElement(DicomTag.PatientName)!.InlineValue.ToArray().AsSpan().TrimEnd((byte)' ').ToArray());
    }

    [Fact]
    public void Ascii_matches_echo_the_request_character_set_or_carry_none()
    {
        var match = new DicomDataset();
        match.AddOrUpdate(DicomTag.QueryRetrieveLevel, DicomVR.CS, "STUDY");
        match.AddOrUpdate(DicomTag.PatientName, DicomVR.PN, "DOE^JOHN");

        Assert.False(FindResponseBuilder.Build(match.Clone(), Query(null), null).Contains(DicomTag.SpecificCharacterSet));
        Assert.Equal("ISO_IR 100", FindResponseBuilder.Build(match.Clone(), Query("ISO_IR 100"), null).GetString(DicomTag.SpecificCharacterSet));
    }

    [Fact]
    public void Text_inside_sequences_is_re_encoded_too()
    {
        var match = new DicomDataset();
        match.AddOrUpdate(DicomTag.SpecificCharacterSet, DicomVR.CS, "ISO_IR 192");
        var sequence = new DicomSequence(DicomTag.IssuerOfAccessionNumberSequence);
        match.AddOrUpdate(sequence);
        var item = new DicomDataset();
        sequence.Add(item);
        item.AddOrUpdate(DicomTag.LocalNamespaceEntityID, DicomVR.UT, "Klinikum Süd");

        var response = FindResponseBuilder.Build(match, Query("ISO_IR 100"), null);

        var copied = response.GetSequence(DicomTag.IssuerOfAccessionNumberSequence)!.Items[0];
        Assert.Equal("Klinikum Süd", copied.GetString(DicomTag.LocalNamespaceEntityID));
        Assert.Contains((byte)0xFC, copied.GetElement(DicomTag.LocalNamespaceEntityID)!.InlineValue.ToArray()); // ü in Latin-1
    }

    [Fact]
    public void Retrieve_ae_title_is_filled_in_when_asked_for()
    {
        var query = Query(null) with { ReturnRetrieveAeTitle = true };

        Assert.Equal("VNA", FindResponseBuilder.Build(Utf8Match("A^B"), query, "VNA").GetString(DicomTag.RetrieveAETitle));
        Assert.False(FindResponseBuilder.Build(Utf8Match("A^B"), Query(null), "VNA").Contains(DicomTag.RetrieveAETitle));
    }

    private static DicomDataset Utf8Match(string name)
    {
        var match = new DicomDataset();
        match.AddOrUpdate(DicomTag.SpecificCharacterSet, DicomVR.CS, "ISO_IR 192");
        match.AddOrUpdate(DicomTag.QueryRetrieveLevel, DicomVR.CS, "STUDY");
        match.AddOrUpdate(DicomTag.PatientName, DicomVR.PN, name);
        match.AddOrUpdate(DicomTag.StudyInstanceUID, DicomVR.UI, "1.2.3");
        return match;
    }

    private static FindQuery Query(string? characterSet) => new()
    {
        Query = new IndexQuery { Level = QueryLevel.Study, Identifier = new DicomDataset() },
        RequestCharacterSet = characterSet,
    };
}
