using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Vna.Core;
using Vna.Dicom;

namespace Vna.Dimse.QueryRetrieve.Tests;

/// <summary>C-FIND over the real PostgreSQL index.</summary>
public sealed class FindServiceTests : IndexFixture
{
    private static readonly DepartmentOptions s_everything = new() { Name = "radiology" };

    [Fact]
    public async Task Every_match_goes_out_as_a_pending_response_then_success()
    {
        var (study1, study2) = (QrData.Uid(), QrData.Uid());
        await Index.UpsertInstancesAsync(
            [
                QrData.Instance(study1, QrData.Uid(), attributes: a => a with { PatientName = "DOE^JOHN", StudyDate = "20240115" }),
                QrData.Instance(study2, QrData.Uid(), attributes: a => a with { PatientId = "P2", PatientName = "DOE^JANE", StudyDate = "20240220" }),
            ],
            Ct);

        var (completion, responses) = await FindAsync(QueryRetrieveModel.StudyRoot, QrData.Identifier("STUDY", (DicomTag.PatientName, "DOE^J*"), (DicomTag.StudyDate, "20240201-20240229"), (DicomTag.StudyInstanceUID, "")));

        Assert.Equal(QueryRetrieveStatus.Success, completion.Status);
        var response = Assert.Single(responses);
        Assert.Equal(QueryRetrieveStatus.Pending, response.Status);
        Assert.Equal(study2, response.Identifier.GetString(DicomTag.StudyInstanceUID));
        Assert.Equal("STUDY", response.Identifier.GetString(DicomTag.QueryRetrieveLevel));
    }

    [Fact]
    public async Task A_latin1_query_matches_a_utf8_stored_name_and_gets_latin1_back()
    {
        var study = QrData.Uid();
        await Index.UpsertInstancesAsync([QrData.Instance(study, QrData.Uid(), attributes: a => a with { PatientName = "Müller^Jürgen", PatientId = "PM" })], Ct);

        // The identifier as a Latin-1 SCU sends it: the bytes of "Müller*" in ISO 8859-1.
        var identifier = new DicomDataset();
        identifier.AddOrUpdate(DicomTag.SpecificCharacterSet, DicomVR.CS, "ISO_IR 100");
        identifier.AddOrUpdate(DicomTag.QueryRetrieveLevel, DicomVR.CS, "PATIENT");
        identifier.AddOrUpdate(new DicomElement(DicomTag.PatientName, DicomVR.PN, Encoding.Latin1.GetBytes("Müller*\0".Replace('\0', ' '))));
        identifier.AddOrUpdate(DicomTag.PatientID, DicomVR.LO, "");

        var (completion, responses) = await FindAsync(QueryRetrieveModel.PatientRoot, identifier);

        Assert.Equal(QueryRetrieveStatus.Success, completion.Status);
        var match = Assert.Single(responses).Identifier;
        Assert.Equal("ISO_IR 100", match.GetString(DicomTag.SpecificCharacterSet));
        Assert.Equal("Müller^Jürgen", match.GetString(DicomTag.PatientName));
        Assert.Equal("PM", match.GetString(DicomTag.PatientID));
    }

    [Fact]
    public async Task Many_matches_are_read_page_by_page_and_all_sent()
    {
        var instances = Enumerable.Range(0, 25).Select(i => QrData.Instance(QrData.Uid(), QrData.Uid(), attributes: a => a with { PatientId = "PAGED" })).ToArray();
        await Index.UpsertInstancesAsync(instances, Ct);

        var (completion, responses) = await FindAsync(QueryRetrieveModel.StudyRoot, QrData.Identifier("STUDY", (DicomTag.PatientID, "PAGED")), pageSize: 7);

        Assert.Equal(QueryRetrieveStatus.Success, completion.Status);
        Assert.Equal(25, completion.MatchesSent);
        Assert.Equal(instances.Select(i => i.StudyInstanceUid).Order(), responses.Select(r => r.Identifier.GetString(DicomTag.StudyInstanceUID)!).Order());
    }

    [Fact]
    public async Task C_cancel_ends_the_request_with_fe00()
    {
        await Index.UpsertInstancesAsync(Enumerable.Range(0, 10).Select(_ => QrData.Instance(QrData.Uid(), QrData.Uid())).ToArray(), Ct);
        using var cancel = new CancellationTokenSource();
        var sent = 0;

        var completion = await Service(3).FindAsync(
            QueryRetrieveModel.StudyRoot,
            QrData.Identifier("STUDY"),
            s_everything,
            "VNA",
            (_, _, _) =>
            {
                if (++sent == 4)
                {
                    cancel.Cancel();
                }

                return ValueTask.CompletedTask;
            },
            cancel.Token,
            Ct);

        Assert.Equal(QueryRetrieveStatus.Cancel, completion.Status);
        Assert.Equal(4, sent);
    }

    [Fact]
    public async Task A_date_that_is_not_a_date_is_refused_with_a900_and_the_service_goes_on()
    {
        await Index.UpsertInstancesAsync([QrData.Instance(QrData.Uid(), QrData.Uid())], Ct);

        var (bad, badResponses) = await FindAsync(QueryRetrieveModel.StudyRoot, QrData.Identifier("STUDY", (DicomTag.StudyDate, "2024-01-01-2024")));
        var (good, goodResponses) = await FindAsync(QueryRetrieveModel.StudyRoot, QrData.Identifier("STUDY"));

        Assert.Equal(QueryRetrieveStatus.IdentifierDoesNotMatchSopClass, bad.Status);
        Assert.Empty(badResponses);
        Assert.Equal(QueryRetrieveStatus.Success, good.Status);
        Assert.Single(goodResponses);
    }

    [Fact]
    public async Task A_department_without_query_permission_is_refused()
    {
        var storeOnly = new DepartmentOptions { Name = "modalities" };
        storeOnly.AllowedOperations.Add("store");
        var sent = 0;

        var completion = await Service(100).FindAsync(QueryRetrieveModel.StudyRoot, QrData.Identifier("STUDY"), storeOnly, "VNA", (_, _, _) => { sent++; return ValueTask.CompletedTask; }, CancellationToken.None, Ct);

        Assert.Equal(QueryRetrieveStatus.NotAuthorized, completion.Status);
        Assert.Equal(0, sent);
    }

    [Fact]
    public async Task An_optional_key_the_index_cannot_match_makes_the_pending_status_ff01()
    {
        await Index.UpsertInstancesAsync([QrData.Instance(QrData.Uid(), QrData.Uid())], Ct);

        var (_, responses) = await FindAsync(QueryRetrieveModel.StudyRoot, QrData.Identifier("STUDY", (DicomTag.InstitutionName, "SOMEWHERE")));

        Assert.Equal(QueryRetrieveStatus.PendingWithWarning, Assert.Single(responses).Status);
    }

    [Fact]
    public async Task Instance_availability_is_returned_when_asked_for()
    {
        var study = QrData.Uid();
        await Index.UpsertInstancesAsync([QrData.Instance(study, QrData.Uid())], Ct);

        var (_, responses) = await FindAsync(QueryRetrieveModel.StudyRoot, QrData.Identifier("STUDY", (DicomTag.StudyInstanceUID, study), (DicomTag.InstanceAvailability, "")));

        Assert.Equal("ONLINE", Assert.Single(responses).Identifier.GetString(DicomTag.InstanceAvailability));
    }

    private FindService Service(int pageSize) =>
        new(Index, Microsoft.Extensions.Options.Options.Create(new QueryRetrieveOptions { FindPageSize = pageSize }), NullLogger<FindService>.Instance);

    private async Task<(FindCompletion Completion, List<(DicomDataset Identifier, ushort Status)> Responses)> FindAsync(
        QueryRetrieveModel model, DicomDataset identifier, int pageSize = 100)
    {
        var responses = new List<(DicomDataset, ushort)>();
        var completion = await Service(pageSize).FindAsync(
            model,
            identifier,
            s_everything,
            "VNA",
            (response, status, _) =>
            {
                responses.Add((response, status));
                return ValueTask.CompletedTask;
            },
            CancellationToken.None,
            Ct);
        return (completion, responses);
    }
}
