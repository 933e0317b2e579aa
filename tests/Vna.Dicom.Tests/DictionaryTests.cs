using Xunit;

namespace Vna.Dicom.Tests;

/// <summary>The generated data dictionary, private dictionary, tag constants and UID registry.</summary>
public sealed class DictionaryTests
{
    private const uint ExactMask = 0xFFFFFFFF;

    [Fact]
    public void Patient_name_has_its_keyword_VR_VM_and_name()
    {
        var entry = DicomDictionary.Lookup(new DicomTag(0x0010, 0x0010));

        Assert.NotNull(entry);
        Assert.Equal("PatientName", entry.Keyword);
        Assert.Equal("Patient's Name", entry.Name);
        Assert.Equal([DicomVR.PN], entry.ValueRepresentations);
        Assert.Equal(DicomVR.PN, entry.VR);
        Assert.Equal("1", entry.ValueMultiplicity);
        Assert.False(entry.IsRetired);
        Assert.Equal(ExactMask, entry.Mask);
    }

    [Fact]
    public void US_or_SS_lists_both_VRs_with_US_first()
    {
        var entry = DicomDictionary.Lookup(new DicomTag(0x0028, 0x0106));

        Assert.NotNull(entry);
        Assert.Equal("SmallestImagePixelValue", entry.Keyword);
        Assert.Equal([DicomVR.US, DicomVR.SS], entry.ValueRepresentations);
        Assert.Equal(DicomVR.US, entry.VR);
    }

    [Fact]
    public void OB_or_OW_lists_OW_first_so_implicit_VR_pixel_data_reads_as_OW()
    {
        var entry = DicomDictionary.Lookup(DicomTag.PixelData);

        Assert.NotNull(entry);
        Assert.Equal([DicomVR.OW, DicomVR.OB], entry.ValueRepresentations);
        Assert.Equal(DicomVR.OW, DicomDictionary.ImplicitVR(DicomTag.PixelData));
    }

    [Fact]
    public void Three_VR_choices_are_kept()
    {
        var entry = DicomDictionary.Lookup(new DicomTag(0x0028, 0x1200));

        Assert.NotNull(entry);
        Assert.Equal("GrayLookupTableData", entry.Keyword);
        Assert.Equal([DicomVR.US, DicomVR.SS, DicomVR.OW], entry.ValueRepresentations);
        Assert.Equal("1-n", entry.ValueMultiplicity);
        Assert.True(entry.IsRetired);
    }

    [Theory]
    [InlineData(0x00080016u, "SOPClassUID", "1")]
    [InlineData(0x00200037u, "ImageOrientationPatient", "6")]
    [InlineData(0x00280030u, "PixelSpacing", "2")]
    [InlineData(0x00080008u, "ImageType", "2-n")]
    [InlineData(0x00000901u, "OffendingElement", "1-n")]
    public void Value_multiplicity_is_the_standard_one(uint tag, string keyword, string vm)
    {
        var entry = DicomDictionary.Lookup(new DicomTag(tag));

        Assert.NotNull(entry);
        Assert.Equal(keyword, entry.Keyword);
        Assert.Equal(vm, entry.ValueMultiplicity);
    }

    [Fact]
    public void Retired_tag_is_flagged()
    {
        var entry = DicomDictionary.Lookup(new DicomTag(0x0008, 0x0001));

        Assert.NotNull(entry);
        Assert.Equal("LengthToEnd", entry.Keyword);
        Assert.Equal(DicomVR.UL, entry.VR);
        Assert.True(entry.IsRetired);
    }

    [Fact]
    public void File_meta_information_and_command_group_are_in_the_dictionary()
    {
        var transferSyntax = DicomDictionary.Lookup(new DicomTag(0x0002, 0x0010));
        var metaLength = DicomDictionary.Lookup(new DicomTag(0x0002, 0x0000));
        var commandField = DicomDictionary.Lookup(new DicomTag(0x0000, 0x0100));

        Assert.NotNull(transferSyntax);
        Assert.Equal("TransferSyntaxUID", transferSyntax.Keyword);
        Assert.Equal(DicomVR.UI, transferSyntax.VR);
        Assert.NotNull(metaLength);
        Assert.Equal("FileMetaInformationGroupLength", metaLength.Keyword);
        Assert.Equal(DicomVR.UL, metaLength.VR);
        Assert.NotNull(commandField);
        Assert.Equal("CommandField", commandField.Keyword);
        Assert.Equal(DicomVR.US, commandField.VR);
    }

    [Fact]
    public void Delimitation_items_have_no_VR_and_read_as_UN()
    {
        var item = DicomDictionary.Lookup(DicomTag.Item);

        Assert.NotNull(item);
        Assert.Equal("Item", item.Keyword);
        Assert.Empty(item.ValueRepresentations);
        Assert.Equal(DicomVR.UN, item.VR);
    }

    [Theory]
    [InlineData(0x6000, 0x3000)]
    [InlineData(0x6002, 0x3000)]
    [InlineData(0x601E, 0x3000)]
    public void Overlay_data_repeating_group_matches_even_groups(ushort group, ushort element)
    {
        var entry = DicomDictionary.Lookup(new DicomTag(group, element));

        Assert.NotNull(entry);
        Assert.Equal("OverlayData", entry.Keyword);
        Assert.Equal(new DicomTag(0x6000, 0x3000), entry.Tag);
        Assert.NotEqual(ExactMask, entry.Mask);
        Assert.True(entry.Matches(new DicomTag(group, element)));
        Assert.Equal([DicomVR.OW, DicomVR.OB], entry.ValueRepresentations);
        Assert.False(entry.IsRetired);
    }

    [Fact]
    public void Overlay_rows_of_another_overlay_group_resolve()
    {
        var entry = DicomDictionary.Lookup(new DicomTag(0x6004, 0x0010));

        Assert.NotNull(entry);
        Assert.Equal("OverlayRows", entry.Keyword);
        Assert.Equal(DicomVR.US, entry.VR);
    }

    [Fact]
    public void Odd_groups_do_not_match_repeating_groups()
    {
        Assert.Null(DicomDictionary.Lookup(new DicomTag(0x6001, 0x3000)));

        var creator = DicomDictionary.Lookup(new DicomTag(0x6001, 0x0010));
        Assert.NotNull(creator);
        Assert.Equal("PrivateCreator", creator.Keyword);
        Assert.Equal(DicomVR.LO, creator.VR);

        var pixelCreator = DicomDictionary.Lookup(new DicomTag(0x7FE1, 0x0010));
        Assert.NotNull(pixelCreator);
        Assert.Equal("PrivateCreator", pixelCreator.Keyword);
    }

    [Fact]
    public void Retired_curve_group_resolves_by_mask()
    {
        var entry = DicomDictionary.Lookup(new DicomTag(0x5010, 0x0010));

        Assert.NotNull(entry);
        Assert.Equal("NumberOfPoints", entry.Keyword);
        Assert.Equal(DicomVR.US, entry.VR);
        Assert.True(entry.IsRetired);
        Assert.Equal(new DicomTag(0x5000, 0x0010), entry.Tag);
    }

    [Theory]
    [InlineData(0x0020, 0x3105, "SourceImageIDs")]
    [InlineData(0x0028, 0x0412, "CoefficientCoding")]
    [InlineData(0x1000, 0x1235, "ShiftTableTriplet")]
    [InlineData(0x1010, 0x0042, "ZonalMap")]
    [InlineData(0x7F02, 0x0010, "VariablePixelData")]
    public void Element_ranges_and_other_repeaters_resolve(ushort group, ushort element, string keyword)
    {
        var entry = DicomDictionary.Lookup(new DicomTag(group, element));

        Assert.NotNull(entry);
        Assert.Equal(keyword, entry.Keyword);
        Assert.NotEqual(ExactMask, entry.Mask);
    }

    [Theory]
    [InlineData(0x0009, 0x0010)]
    [InlineData(0x0029, 0x0011)]
    [InlineData(0x0009, 0x00FF)]
    public void Private_creator_elements_are_LO(ushort group, ushort element)
    {
        var entry = DicomDictionary.Lookup(new DicomTag(group, element));

        Assert.NotNull(entry);
        Assert.Equal(DicomVR.LO, entry.VR);
        Assert.Equal("PrivateCreator", entry.Keyword);
    }

    [Theory]
    [InlineData(0x0008)]
    [InlineData(0x0009)]
    [InlineData(0x0029)]
    public void Group_lengths_are_UL(ushort group)
    {
        var entry = DicomDictionary.Lookup(new DicomTag(group, 0x0000));

        Assert.NotNull(entry);
        Assert.Equal(DicomVR.UL, entry.VR);
        Assert.Equal(DicomVR.UL, DicomDictionary.ImplicitVR(new DicomTag(group, 0x0000)));
    }

    [Fact]
    public void Unknown_private_data_element_reads_as_UN()
    {
        Assert.Null(DicomDictionary.Lookup(new DicomTag(0x0011, 0x1010)));
        Assert.Equal(DicomVR.UN, DicomDictionary.ImplicitVR(new DicomTag(0x0011, 0x1010)));
    }

    [Theory]
    [InlineData(0x1010)]
    [InlineData(0x2010)]
    [InlineData(0xFF10)]
    public void Siemens_CSA_header_is_found_in_any_private_block(ushort element)
    {
        var entry = DicomDictionary.LookupPrivate(new DicomTag(0x0029, element), "SIEMENS CSA HEADER");

        Assert.NotNull(entry);
        Assert.Equal("CSA Image Header Info", entry.Name);
        Assert.Equal(DicomVR.OB, entry.VR);
        Assert.Equal("1", entry.ValueMultiplicity);
    }

    [Fact]
    public void Private_lookup_trims_the_creator_and_needs_a_known_one()
    {
        var tag = new DicomTag(0x0029, 0x1020);

        Assert.Equal("CSA Series Header Info", DicomDictionary.LookupPrivate(tag, "SIEMENS CSA HEADER ")?.Name);
        Assert.Null(DicomDictionary.LookupPrivate(tag, "NO SUCH CREATOR"));
        Assert.Null(DicomDictionary.LookupPrivate(tag, null));
        Assert.Null(DicomDictionary.LookupPrivate(new DicomTag(0x0029, 0x0010), "SIEMENS CSA HEADER"));
        Assert.Null(DicomDictionary.LookupPrivate(new DicomTag(0x0028, 0x1010), "SIEMENS CSA HEADER"));
    }

    [Fact]
    public void Private_names_keep_their_backslashes()
    {
        var entry = DicomDictionary.LookupPrivate(new DicomTag(0x0009, 0x10E2), "GEMS_IDEN_01");

        Assert.NotNull(entry);
        Assert.Equal(@"Image Type (ORIGINAL\PROSPECTIVE ...)", entry.Name);
        Assert.Equal(DicomVR.LT, entry.VR);
    }

    [Fact]
    public void Tags_parse_by_keyword()
    {
        Assert.Equal(new DicomTag(0x0010, 0x0010), DicomTag.Parse("PatientName"));
        Assert.Equal(new DicomTag(0x0002, 0x0010), DicomTag.Parse("TransferSyntaxUID"));
        Assert.Equal(new DicomTag(0x6000, 0x3000), DicomTag.Parse("OverlayData"));
        Assert.Equal(DicomTag.Item, DicomTag.Parse("Item"));
        Assert.False(DicomTag.TryParse("NoSuchKeyword", out _));
        Assert.Throws<FormatException>(() => DicomTag.Parse("NoSuchKeyword"));
    }

    [Fact]
    public void Keyword_lookup_returns_the_entry()
    {
        var entry = DicomDictionary.LookupKeyword("StudyInstanceUID");

        Assert.NotNull(entry);
        Assert.Equal(new DicomTag(0x0020, 0x000D), entry.Tag);
        Assert.Equal(DicomVR.UI, entry.VR);
        Assert.Null(DicomDictionary.LookupKeyword("patientname"));
    }

    [Fact]
    public void Generated_tag_constants_match_the_dictionary()
    {
        Assert.Equal(new DicomTag(0x0010, 0x0010), DicomTag.PatientName);
        Assert.Equal(new DicomTag(0x0008, 0x0016), DicomTag.SOPClassUID);
        Assert.Equal(new DicomTag(0x0002, 0x0010), DicomTag.TransferSyntaxUID);
        Assert.Equal(new DicomTag(0x7FE0, 0x0010), DicomTag.PixelData);
        Assert.Equal(new DicomTag(0x0008, 0x0001), DicomTag.LengthToEnd);
        Assert.Equal(new DicomTag(0xFFFE, 0xE000), DicomTag.Item);
        Assert.Equal(new DicomTag(0xFFFE, 0xE0DD), DicomTag.SequenceDelimitationItem);
    }

    [Fact]
    public void Supplement_tags_newer_than_the_source_edition_are_present()
    {
        var entry = DicomDictionary.Lookup(new DicomTag(0x0008, 0x0019));

        Assert.NotNull(entry);
        Assert.Equal("PyramidUID", entry.Keyword);
        Assert.Equal("Pyramid UID", entry.Name);
        Assert.Equal(DicomVR.UI, entry.VR);
        Assert.Equal(new DicomTag(0x0008, 0x0019), DicomTag.PyramidUID);
        Assert.Equal(DicomVR.SQ, DicomDictionary.ImplicitVR(new DicomTag(0x0006, 0x0001)));
    }

    [Fact]
    public void Entries_are_sorted_unique_and_include_masks()
    {
        var entries = DicomDictionary.Entries;

        Assert.True(entries.Count > 4900);
        Assert.True(entries.Count(e => e.Mask != ExactMask) >= 80);
        var exact = entries.Where(e => e.Mask == ExactMask).Select(e => e.Tag.Value).ToList();
        Assert.Equal(exact.Count, exact.Distinct().Count());
        for (var i = 1; i < entries.Count; i++)
        {
            Assert.True(entries[i - 1].Tag.Value <= entries[i].Tag.Value, $"{entries[i - 1].Tag} before {entries[i].Tag}");
        }

        var keywords = entries.Where(e => e.Keyword.Length > 0).Select(e => e.Keyword).ToList();
        Assert.Equal(keywords.Count, keywords.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Lookup_parses_entries_on_demand_and_agrees_with_the_full_table()
    {
        // Entries are parsed from the generated table line by line when first looked up (a cold start parses only
        // what it needs); the full list and single lookups must hand out the same entries, from many threads at once.
        var exact = DicomDictionary.Entries.Where(e => e.Mask == ExactMask).ToArray();
        var mismatches = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.ForEach(exact, entry =>
        {
            var looked = DicomDictionary.Lookup(entry.Tag);
            if (!ReferenceEquals(looked, entry))
            {
                mismatches.Add($"{entry.Tag} {entry.Keyword}: {looked?.Keyword ?? "null"}");
            }

            if (entry.Keyword.Length > 0 && !ReferenceEquals(DicomDictionary.LookupKeyword(entry.Keyword), entry))
            {
                mismatches.Add($"keyword {entry.Keyword}");
            }
        });

        Assert.Empty(mismatches);
        Assert.Null(DicomDictionary.Lookup(new DicomTag(0x0008, 0x0002))); // between two listed tags: not a public tag
    }

    [Theory]
    [InlineData("1.2.840.10008.1.2", "Implicit VR Little Endian", "ImplicitVRLittleEndian")]
    [InlineData("1.2.840.10008.1.2.1", "Explicit VR Little Endian", "ExplicitVRLittleEndian")]
    [InlineData("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)", "JPEGBaseline8Bit")]
    [InlineData("1.2.840.10008.1.2.4.90", "JPEG 2000 Image Compression (Lossless Only)", "JPEG2000Lossless")]
    [InlineData("1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 Image Compression (Lossless Only)", "HTJ2KLossless")]
    [InlineData("1.2.840.10008.1.2.4.202", "High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)", "HTJ2KLosslessRPCL")]
    [InlineData("1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000 Image Compression", "HTJ2K")]
    [InlineData("1.2.840.10008.1.2.4.110", "JPEG XL Lossless", "JPEGXLLossless")]
    [InlineData("1.2.840.10008.1.2.4.111", "JPEG XL JPEG Recompression", "JPEGXLJPEGRecompression")]
    [InlineData("1.2.840.10008.1.2.4.112", "JPEG XL", "JPEGXL")]
    [InlineData("1.2.840.10008.1.2.8.1", "Deflated Image Frame Compression", "DeflatedImageFrameCompression")]
    public void Transfer_syntaxes_are_registered(string value, string name, string keyword)
    {
        var uid = DicomUid.Lookup(value);

        Assert.NotNull(uid);
        Assert.Equal(name, uid.Name);
        Assert.Equal(keyword, uid.Keyword);
        Assert.Equal(DicomUidType.TransferSyntax, uid.Type);
        Assert.False(uid.IsRetired);
    }

    [Fact]
    public void Keyword_properties_are_the_registry_instances()
    {
        Assert.Same(DicomUid.Lookup("1.2.840.10008.1.2.4.201"), DicomUid.HTJ2KLossless);
        Assert.Same(DicomUid.Lookup("1.2.840.10008.1.2.1"), DicomUid.ExplicitVRLittleEndian);
        Assert.Equal("1.2.840.10008.1.2.4.203", DicomUid.HTJ2K.Value);
        Assert.Equal("1.2.840.10008.5.1.4.1.1.2", DicomUid.CTImageStorage.ToString());
    }

    [Fact]
    public void Retired_big_endian_is_flagged()
    {
        Assert.True(DicomUid.ExplicitVRBigEndian.IsRetired);
        Assert.Equal(DicomUidType.TransferSyntax, DicomUid.ExplicitVRBigEndian.Type);
    }

    [Fact]
    public void Storage_sop_classes_are_recognised()
    {
        var ct = DicomUid.Lookup("1.2.840.10008.5.1.4.1.1.2");

        Assert.NotNull(ct);
        Assert.Equal("CT Image Storage", ct.Name);
        Assert.Equal(DicomUidType.SopClass, ct.Type);
        Assert.True(ct.IsStorageSopClass);
        Assert.True(DicomUid.EnhancedMRImageStorage.IsStorageSopClass);
        Assert.False(DicomUid.StorageCommitmentPushModel.IsStorageSopClass);
        Assert.False(DicomUid.Verification.IsStorageSopClass);
        Assert.False(DicomUid.StudyRootQueryRetrieveInformationModelFind.IsStorageSopClass);
        Assert.False(DicomUid.ExplicitVRLittleEndian.IsStorageSopClass);
        Assert.True(DicomUid.PhotoacousticImageStorage.IsStorageSopClass);
        Assert.Equal("1.2.840.10008.5.1.4.1.1.6.3", DicomUid.PhotoacousticImageStorage.Value);
    }

    [Theory]
    [InlineData("1.2.840.10008.4.2", DicomUidType.ServiceClass)]
    [InlineData("1.2.840.10008.3.1.1.1", DicomUidType.ApplicationContextName)]
    [InlineData("1.2.840.10008.5.1.1.9", DicomUidType.MetaSopClass)]
    [InlineData("1.2.840.10008.5.1.1.17", DicomUidType.WellKnownSopInstance)]
    [InlineData("1.2.840.10008.1.4.1.1", DicomUidType.WellKnownFrameOfReference)]
    [InlineData("1.2.840.10008.15.1.1", DicomUidType.SynchronizationFrameOfReference)]
    [InlineData("1.2.840.10008.2.16.4", DicomUidType.CodingScheme)]
    [InlineData("1.2.840.10008.2.6.1", DicomUidType.CodingScheme)]
    [InlineData("1.2.840.10008.15.0.3.1", DicomUidType.LdapOid)]
    [InlineData("1.2.840.10008.7.1.1", DicomUidType.ApplicationHostingModel)]
    [InlineData("1.2.840.10008.8.1.1", DicomUidType.MappingResource)]
    public void Uid_types_are_mapped(string value, DicomUidType type)
    {
        Assert.Equal(type, DicomUid.Lookup(value)?.Type);
    }

    [Fact]
    public void Lookup_ignores_padding_and_misses_unknown_uids()
    {
        Assert.Same(DicomUid.ImplicitVRLittleEndian, DicomUid.Lookup("1.2.840.10008.1.2\0"));
        Assert.Same(DicomUid.ImplicitVRLittleEndian, DicomUid.Lookup("1.2.840.10008.1.2 "));
        Assert.Null(DicomUid.Lookup("1.2.3.4.5"));
    }

    [Fact]
    public void Registry_values_are_unique_and_valid()
    {
        var registry = DicomUid.Registry;

        Assert.True(registry.Count > 450);
        Assert.Equal(registry.Count, registry.Select(u => u.Value).Distinct(StringComparer.Ordinal).Count());
        Assert.All(registry, u => Assert.True(DicomUid.IsValid(u.Value), u.Value));
        Assert.True(registry.Count(u => u.Type == DicomUidType.TransferSyntax) >= 60);
    }

    [Theory]
    [InlineData("1.2.840.10008.1.2")]
    [InlineData("0")]
    [InlineData("1.2.0.3")]
    [InlineData("2.25.329800735698586629295641978511506172918")]
    [InlineData("1.2.840.10008.5.1.4.1.1.2.123456789012345678901234567890.1111111")]
    public void Valid_uids(string value)
    {
        Assert.True(DicomUid.IsValid(value));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("1..2")]
    [InlineData(".1.2")]
    [InlineData("1.2.")]
    [InlineData("1.02")]
    [InlineData("01.2")]
    [InlineData("1.2.a")]
    [InlineData("1.2 ")]
    [InlineData("1.2.840.10008.5.1.4.1.1.2.123456789012345678901234567890.11111111")]
    public void Invalid_uids(string? value)
    {
        Assert.False(DicomUid.IsValid(value));
    }
}
