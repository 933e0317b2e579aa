using System.Text;
using Vna.Dicom;

namespace Vna.Core.Tests;

/// <summary>
/// The Store feature hands the data set it parsed (after coercion) to the metadata document builder and registers the
/// instance with the document; a builder that fails costs the document, never the store.
/// </summary>
public sealed class InstanceDocumentTests
{
    [Fact]
    public async Task The_registered_instance_carries_the_document_made_from_the_coerced_data_set()
    {
        var builder = new RecordingBuilder();
        var department = new DepartmentOptions { Name = "radiology" };
        department.AeTitles.Add("RAD");
        department.Coercions.Add(new CoercionRule { Action = CoercionAction.Set, Tag = "InstitutionName", Value = "VNA HOSPITAL" });
        var options = new ArchiveOptions();
        options.Departments.Add(department);
        using var h = new StoreHarness(options, documents: builder);
        var obj = new TestObject();

        var result = await h.StoreAsync(await obj.ToPart10Async(), StoreHarness.Request("radiology"));

        Assert.True(result.IsSuccess, result.Reason);
        Assert.True(result.Coerced);
        var registered = Assert.Single(h.Coordinator.Instances);
        Assert.NotNull(registered.Document);
        Assert.Equal($"{obj.StudyInstanceUid}|{obj.SeriesInstanceUid}|{obj.SopInstanceUid}|VNA HOSPITAL", Encoding.UTF8.GetString(registered.Document.Json));
        Assert.Equal(1, builder.Calls);
    }

    [Fact]
    public async Task A_failing_builder_leaves_the_instance_without_a_document_and_the_store_succeeds()
    {
        using var h = new StoreHarness(documents: new RecordingBuilder { Fail = true });
        var obj = new TestObject();

        var result = await h.StoreAsync(await obj.ToPart10Async());

        Assert.Equal(StoreStatus.Stored, result.Status);
        Assert.Null(Assert.Single(h.Coordinator.Instances).Document);
        Assert.Contains(h.Logger.Entries, e => e.Message.Contains("metadata document", StringComparison.Ordinal));
    }

    private sealed class RecordingBuilder : IInstanceDocumentBuilder
    {
        public bool Fail { get; init; }

        public int Calls { get; private set; }

        public InstanceDocument Build(DicomFile file, string studyInstanceUid, string seriesInstanceUid, string sopInstanceUid)
        {
            Calls++;
            if (Fail)
            {
                throw new InvalidOperationException("no document");
            }

            var institution = file.Dataset.GetString(DicomTag.InstitutionName);
            return new InstanceDocument { Json = Encoding.UTF8.GetBytes($"{studyInstanceUid}|{seriesInstanceUid}|{sopInstanceUid}|{institution}") };
        }
    }
}
