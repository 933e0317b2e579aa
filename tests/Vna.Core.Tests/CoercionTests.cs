using Vna.Dicom;

namespace Vna.Core.Tests;

/// <summary>Per-department coercion at ingest, as seen in the stored file; patients of two departments kept apart by issuer.</summary>
public sealed class CoercionTests : IDisposable
{
    private readonly StoreHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task The_departments_issuer_is_assigned_when_missing_and_the_file_rewritten()
    {
        Configure(Department("radiology", "RAD_PACS", issuer: "HOSP_RAD"));
        var obj = new TestObject();

        var result = await _h.StoreAsync(await obj.ToPart10Async(), StoreHarness.Request("radiology"));

        Assert.Equal(StoreStatus.Stored, result.Status);
        Assert.True(result.Coerced);
        Assert.Contains(result.Warnings, w => w.Contains("(0010,0021)", StringComparison.Ordinal));
        Assert.Equal("HOSP_RAD", result.Instance!.Attributes.IssuerOfPatientId);
        using var stored = await _h.ReadStoredAsync(result);
        Assert.Equal("HOSP_RAD", stored.Dataset.GetString(DicomTag.IssuerOfPatientID));
        Assert.Equal("12345", stored.Dataset.GetString(DicomTag.PatientID));
        Assert.Equal(obj.SopInstanceUid, stored.FileMetaInformation.GetString(DicomTag.MediaStorageSOPInstanceUID));
        Assert.Equal(80_000, stored.Dataset.GetElement(DicomTag.PixelData)!.Length);
        Assert.Equal((await obj.ToDataset().GetElement(DicomTag.PixelData)!.GetValueAsync(StoreHarness.Ct)).ToArray(),
            (await stored.Dataset.GetElement(DicomTag.PixelData)!.GetValueAsync(StoreHarness.Ct)).ToArray());
        Assert.Equal(StoreHarness.Sha256Of(_h.FullPath(result)), result.Instance.Sha256);
        Assert.Equal([result.Instance.Location], _h.StoredFiles());
        Assert.Empty(_h.TemporaryFiles());
    }

    [Fact]
    public async Task An_issuer_already_present_is_kept_and_the_file_stored_unchanged()
    {
        Configure(Department("radiology", "RAD_PACS", issuer: "HOSP_RAD"));
        var bytes = await new TestObject { IssuerOfPatientId = "OTHER" }.ToPart10Async();

        var result = await _h.StoreAsync(bytes, StoreHarness.Request("radiology"));

        Assert.Equal(StoreStatus.Stored, result.Status);
        Assert.False(result.Coerced);
        Assert.Equal("OTHER", result.Instance!.Attributes.IssuerOfPatientId);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(_h.FullPath(result), StoreHarness.Ct));
    }

    [Fact]
    public async Task Rules_set_set_if_missing_and_remove_are_applied_in_order()
    {
        var department = Department("cardiology", "CARD_PACS");
        department.Coercions.Add(new CoercionRule { Action = CoercionAction.Set, Tag = "InstitutionName", Value = "Heart Centre" });
        department.Coercions.Add(new CoercionRule { Action = CoercionAction.SetIfMissing, Tag = "(0008,1030)", Value = "Echo" });
        department.Coercions.Add(new CoercionRule { Action = CoercionAction.SetIfMissing, Tag = "Modality", Value = "US" });
        department.Coercions.Add(new CoercionRule { Action = CoercionAction.Remove, Tag = "PatientName" });
        department.Coercions.Add(new CoercionRule { Action = CoercionAction.Remove, Tag = "PatientComments" });
        Configure(department);

        var result = await _h.StoreAsync(await new TestObject().ToPart10Async(), StoreHarness.Request("cardiology"));

        Assert.Equal(StoreStatus.Stored, result.Status);
        Assert.True(result.Coerced);
        Assert.Equal(3, result.Warnings.Count(w => w.Contains("department 'cardiology'", StringComparison.Ordinal)));
        using var stored = await _h.ReadStoredAsync(result);
        Assert.Equal("Heart Centre", stored.Dataset.GetString(DicomTag.InstitutionName));
        Assert.Equal("Echo", stored.Dataset.GetString(DicomTag.StudyDescription));
        Assert.Equal("CT", stored.Dataset.GetString(DicomTag.Modality));
        Assert.False(stored.Dataset.Contains(DicomTag.PatientName));
        Assert.Equal(string.Empty, result.Instance!.Attributes.PatientName);
        Assert.Equal("Echo", result.Instance.Attributes.StudyDescription);
    }

    [Fact]
    public async Task A_set_rule_that_changes_nothing_leaves_the_file_as_received()
    {
        var department = Department("cardiology", "CARD_PACS");
        department.Coercions.Add(new CoercionRule { Action = CoercionAction.Set, Tag = "InstitutionName", Value = "General Hospital" });
        Configure(department);
        var bytes = await new TestObject().ToPart10Async();

        var result = await _h.StoreAsync(bytes, StoreHarness.Request("cardiology"));

        Assert.False(result.Coerced);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(_h.FullPath(result), StoreHarness.Ct));
    }

    [Fact]
    public async Task Two_departments_same_patient_id_are_two_patients()
    {
        Configure(Department("radiology", "RAD_PACS", issuer: "HOSP_RAD"), Department("cardiology", "CARD_PACS", issuer: "HOSP_CARD"));

        var rad = await _h.StoreAsync(await new TestObject { PatientId = "12345" }.ToPart10Async(), StoreHarness.Request("radiology"));
        var card = await _h.StoreAsync(await new TestObject { PatientId = "12345" }.ToPart10Async(), StoreHarness.Request("cardiology"));

        Assert.Equal(StoreStatus.Stored, rad.Status);
        Assert.Equal(StoreStatus.Stored, card.Status);
        var identities = _h.Coordinator.Instances
            .Select(i => (i.Attributes.PatientId, i.Attributes.IssuerOfPatientId, i.SourceDepartment))
            .Order()
            .ToList();
        Assert.Equal([("12345", "HOSP_CARD", "cardiology"), ("12345", "HOSP_RAD", "radiology")], identities);
    }

    [Fact]
    public async Task A_coercion_that_cannot_be_applied_refuses_the_object_and_keeps_nothing()
    {
        var department = Department("radiology", "RAD_PACS");
        department.Coercions.Add(new CoercionRule { Action = CoercionAction.Set, Tag = "SOPInstanceUID", Value = "1.2.3" });
        Configure(department);

        var result = await _h.StoreAsync(await new TestObject().ToPart10Async(), StoreHarness.Request("radiology"));

        Assert.Equal(StoreStatus.Rejected, result.Status);
        Assert.Equal(StoreFailure.OutOfResources, result.Failure);
        Assert.Contains("coercion", result.Reason, StringComparison.Ordinal);
        _h.AssertNothingLeft();
    }

    [Fact]
    public async Task A_coercion_of_a_bare_data_set_keeps_the_meta_from_the_announced_uids()
    {
        Configure(Department("radiology", "RAD_PACS", issuer: "HOSP_RAD"));
        var obj = new TestObject();
        var request = StoreHarness.Request("radiology") with
        {
            BareDatasetSyntax = DicomTransferSyntax.ImplicitVRLittleEndian,
            ExpectedSopClassUid = obj.SopClassUid,
            ExpectedSopInstanceUid = obj.SopInstanceUid,
        };

        var result = await _h.StoreAsync(await obj.ToBareAsync(DicomTransferSyntax.ImplicitVRLittleEndian), request);

        Assert.Equal(StoreStatus.Stored, result.Status);
        Assert.True(result.Coerced);
        using var stored = await _h.ReadStoredAsync(result);
        Assert.Equal(DicomTransferSyntax.ImplicitVRLittleEndian, stored.TransferSyntax);
        Assert.Equal("HOSP_RAD", stored.Dataset.GetString(DicomTag.IssuerOfPatientID));
        Assert.Equal("TEST_AE", stored.FileMetaInformation.GetString(new DicomTag(0x0002, 0x0016)));
        Assert.Equal(StoreHarness.Sha256Of(_h.FullPath(result)), result.Instance!.Sha256);
        Assert.Empty(_h.TemporaryFiles());
    }

    [Theory]
    [InlineData("transfer-syntax/deflated/CTImage_deflated.dcm")]
    [InlineData("transfer-syntax/jpeg2000-lossless/CT1_J2KR.dcm")]
    [InlineData("transfer-syntax/explicit-vr-be/CT1_UNC.explicit_big_endian.dcm")]
    public async Task Coercing_a_sample_rewrites_it_in_its_own_transfer_syntax_with_the_same_pixels(string sample)
    {
        Configure(Department("radiology", "RAD_PACS", issuer: "HOSP_RAD"));
        var path = TestSamples.PathOf(sample);
        using var original = await DicomReader.ReadFileAsync(path, null, StoreHarness.Ct);

        var result = await _h.StoreAsync(await File.ReadAllBytesAsync(path, StoreHarness.Ct), StoreHarness.Request("radiology"));

        Assert.True(result.Status == StoreStatus.Stored, result.Reason);
        Assert.True(result.Coerced);
        using var stored = await _h.ReadStoredAsync(result);
        Assert.Equal(original.TransferSyntax, stored.TransferSyntax);
        Assert.Equal("HOSP_RAD", stored.Dataset.GetString(DicomTag.IssuerOfPatientID));
        Assert.Equal(await PixelBytesAsync(original), await PixelBytesAsync(stored));
        Assert.Equal(StoreHarness.Sha256Of(_h.FullPath(result)), result.Instance!.Sha256);
        Assert.Empty(_h.TemporaryFiles());
    }

    [Fact]
    public void Rules_are_validated_with_clear_problems()
    {
        var department = Department("x", "X");
        department.Coercions.Add(new CoercionRule { Action = CoercionAction.Set, Tag = "NoSuchKeyword", Value = "v" });
        department.Coercions.Add(new CoercionRule { Action = CoercionAction.Set, Tag = "InstitutionName" });
        department.Coercions.Add(new CoercionRule { Action = CoercionAction.Remove, Tag = "StudyInstanceUID" });
        department.Coercions.Add(new CoercionRule { Action = CoercionAction.Set, Tag = "Rows", Value = "12" });
        department.Coercions.Add(new CoercionRule { Action = CoercionAction.Set, Tag = "(0009,1010)", Value = "v" });
        department.Coercions.Add(new CoercionRule { Action = CoercionAction.Set, Tag = "StationName", Value = new string('a', 17) });
        department.Coercions.Add(new CoercionRule { Action = CoercionAction.Remove, Tag = "(0009,1010)" });
        department.Coercions.Add(new CoercionRule { Action = CoercionAction.Set, Tag = "TransferSyntaxUID", Value = "1.2" });

        var problems = AttributeCoercer.Validate(department);

        Assert.Equal(7, problems.Count);
        Assert.Contains("rule 1", problems[0], StringComparison.Ordinal);
        Assert.Contains("needs a value", problems[1], StringComparison.Ordinal);
        Assert.Contains("cannot be coerced", problems[2], StringComparison.Ordinal);
        Assert.Contains("only text attributes", problems[3], StringComparison.Ordinal);
        Assert.Contains("only Remove", problems[4], StringComparison.Ordinal);
        Assert.Contains("longer than the 16", problems[5], StringComparison.Ordinal);
        Assert.Contains("rule 8", problems[6], StringComparison.Ordinal);
    }

    /// <summary>The pixel data's bytes: the native value, or every fragment of encapsulated pixel data in order.</summary>
    private static async Task<byte[]> PixelBytesAsync(DicomFile file)
    {
        var item = file.Dataset[DicomTag.PixelData];
        using var bytes = new MemoryStream();
        switch (item)
        {
            case DicomElement element:
                await bytes.WriteAsync(await element.GetValueAsync(StoreHarness.Ct), StoreHarness.Ct);
                break;
            case DicomFragmentSequence fragments:
                foreach (var fragment in fragments.Fragments)
                {
                    var stream = fragment.OpenRead();
                    await using (stream)
                    {
                        await stream.CopyToAsync(bytes, StoreHarness.Ct);
                    }
                }

                break;
            default:
                Assert.Fail("No pixel data.");
                break;
        }

        return bytes.ToArray();
    }

    private void Configure(params DepartmentOptions[] departments)
    {
        var options = new ArchiveOptions();
        foreach (var department in departments)
        {
            options.Departments.Add(department);
        }

        _h.Options.CurrentValue = options;
    }

    private static DepartmentOptions Department(string name, string aeTitle, string? issuer = null)
    {
        var department = new DepartmentOptions { Name = name, IssuerOfPatientId = issuer };
        department.AeTitles.Add(aeTitle);
        return department;
    }
}
