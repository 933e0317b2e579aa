using Vna.Core;
using Vna.Dicom;

namespace Vna.Index.Postgres.Tests;

/// <summary>
/// A caller scoped to departments (IndexQuery.SourceDepartments) finds a study when any of its instances came from them,
/// but only the series and instances that did — what retrieval serves it.
/// </summary>
public sealed class DepartmentScopeTests : IndexTestBase
{
    [Fact]
    public async Task Series_and_instances_are_scoped_per_instance_studies_and_patients_per_any_instance()
    {
        var mixed = TestData.Uid();
        var radiologySeries = TestData.Uid();
        var cardiologySeries = TestData.Uid();
        var cardiologyOnly = TestData.Uid();
        var radiology = new[] { TestData.Instance(mixed, radiologySeries), TestData.Instance(mixed, radiologySeries) };
        var cardiology = new[]
        {
            TestData.Instance(mixed, cardiologySeries, department: "cardiology"),
            TestData.Instance(cardiologyOnly, TestData.Uid(), department: "cardiology"),
        };
        await UpsertAsync([.. radiology, .. cardiology]);

        Task<IndexQueryResult> Scoped(QueryLevel level, params string[] departments) =>
            QueryAsync(TestData.Query(level) with { SourceDepartments = departments });

        Assert.Equal([mixed], ValuesOf(await Scoped(QueryLevel.Study, "radiology"), DicomTag.StudyInstanceUID));
        Assert.Equal([radiologySeries], ValuesOf(await Scoped(QueryLevel.Series, "radiology"), DicomTag.SeriesInstanceUID));
        Assert.Equal(
            radiology.Select(i => i.SopInstanceUid).Order(StringComparer.Ordinal),
            ValuesOf(await Scoped(QueryLevel.Image, "radiology"), DicomTag.SOPInstanceUID).Order(StringComparer.Ordinal));
        Assert.Equal(1, (await Scoped(QueryLevel.Patient, "radiology")).TotalCount);

        Assert.Equal(2, (await Scoped(QueryLevel.Study, "cardiology")).TotalCount);
        Assert.Equal(2, (await Scoped(QueryLevel.Series, "cardiology")).TotalCount);
        Assert.Equal(
            cardiology.Select(i => i.SopInstanceUid).Order(StringComparer.Ordinal),
            ValuesOf(await Scoped(QueryLevel.Image, "cardiology"), DicomTag.SOPInstanceUID).Order(StringComparer.Ordinal));

        // A key of a study outside the scope finds nothing at any level; no scope finds everything.
        var outside = TestData.Query(QueryLevel.Image, (DicomTag.StudyInstanceUID, cardiologyOnly)) with { SourceDepartments = ["radiology"] };
        Assert.Equal(0, (await QueryAsync(outside)).TotalCount);
        Assert.Equal(0, (await Scoped(QueryLevel.Image, "oncology")).TotalCount);
        Assert.Equal(4, (await QueryAsync(TestData.Query(QueryLevel.Image))).TotalCount);
    }
}
