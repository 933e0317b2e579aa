using System.Buffers.Binary;
using System.Text;

namespace Vna.Dicom.Tests;

/// <summary>
/// Specific Character Set (0008,0005). Expected strings are pydicom 2.3.1's (Debian python3-pydicom) for the same bytes:
/// the "dataset" value (trailing padding stripped, multiple values joined by '\', PN with empty trailing component groups
/// removed), printed once with dcmread and <c>pydicom.charset.decode_bytes</c> / <c>PersonName</c>; <see cref="PydicomView"/>
/// brings our untrimmed whole-value decode to that form. Where pydicom 2.3.1 is wrong it is said at the case.
/// </summary>
public sealed class CharacterSetTests
{
    /// <summary>D. Clunie's charset files as pydicom ships them (python3-pydicom); tests that read them skip when absent.</summary>
    private const string PydicomCharsetFiles = "/usr/lib/python3/dist-packages/pydicom/data/charset_files";

    // ----------------------------------------------------------------------------------------------------------------
    // Decoding: raw values copied from the sample files (hex), with pydicom's strings.
    // ----------------------------------------------------------------------------------------------------------------

    /// <summary>(0008,0005) value, VR, raw value bytes (hex) as in the file, pydicom's string.</summary>
    public static TheoryData<string, string, string, string> SampleValues => new()
    {
        // chrArab.dcm (0010,0010)
        { "ISO_IR 127", "PN", "E2C8C7E6EA5EE4E6D2C7D120", "قباني^لنزار" },
        // chrFren.dcm (0010,0010)
        { "ISO_IR 100", "PN", "4275635E4AE972F46D65", "Buc^Jérôme" },
        // chrFrenMulti.dcm (0010,1000)
        { "ISO_IR 100", "LO", "656767735C7370616D20", "eggs\\spam" },
        // chrFrenMulti.dcm (0010,1001)
        { "ISO_IR 100", "PN", "4275635E4AE972F46D655C4275635E4AE972F46D6520", "Buc^Jérôme\\Buc^Jérôme" },
        // chrGerm.dcm (0010,0010)
        { "ISO_IR 100", "PN", "C46E6561735E52FC646967657220", "Äneas^Rüdiger" },
        // chrGreek.dcm (0010,0010)
        { "ISO_IR 126", "PN", "C4E9EFEDF5F3E9EFF220", "Διονυσιος" },
        // chrH31.dcm (0010,0010)
        { "\\ISO 2022 IR 87", "PN", "59616D6164615E5461726F753D1B24423B3345441B28425E1B244242404F3A1B28423D1B24422464245E24401B28425E1B2442243F246D24261B2842", "Yamada^Tarou=山田^太郎=やまだ^たろう" },
        // chrH32.dcm (0010,0010)
        { "ISO 2022 IR 13\\ISO 2022 IR 87", "PN", "D4CFC0DE5EC0DBB33D1B24423B3345441B284A5E1B244242404F3A1B284A3D1B24422464245E24401B284A5E1B2442243F246D24261B284A", "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう" },
        // chrHbrw.dcm (0010,0010)
        { "ISO_IR 138", "PN", "F9F8E5EF5EE3E1E5F8E4", "שרון^דבורה" },
        // chrI2.dcm (0010,0010)
        { "\\ISO 2022 IR 149", "PN", "486F6E675E47696C646F6E673D1B242943FBF35E1B242943D1CED4D73D1B242943C8AB5E1B242943B1E6B5BF", "Hong^Gildong=洪^吉洞=홍^길동" },
        // chrJapMulti.dcm (0010,0010)
        { "\\ISO 2022 IR 87", "PN", "1B24422464245E24401B28425E1B2442243F246D24261B284220", "やまだ^たろう" },
        // chrJapMulti.dcm (0010,1001)
        { "\\ISO 2022 IR 87", "PN", "1B24422464245E24401B28425E1B2442243F246D24261B28425C1B24422464245E24401B28425E1B2442243F246D24261B284220", "やまだ^たろう\\やまだ^たろう" },
        // chrJapMulti.dcm (0010,21B0)
        { "\\ISO 2022 IR 87", "LT", "1B2442243F246D24261B2842", "たろう" },
        // chrJapMulti.dcm (0019,1010)
        { "\\ISO 2022 IR 87", "SH", "45433D302E30305C4C523D302E30305C4D433D332E35305C4E523D332E30305C4D44303D2D302E343030305C4D44313D302E323030305C46413D435C46503D302E313030305C42414C414E43453D305C4D4C4D494E3D302E353030305C4D4C4D41583D322E353030305C4D464F433D302E3530303020", "EC=0.00\\LR=0.00\\MC=3.50\\NR=3.00\\MD0=-0.4000\\MD1=0.2000\\FA=C\\FP=0.1000\\BALANCE=0\\MLMIN=0.5000\\MLMAX=2.5000\\MFOC=0.5000" },
        // chrJapMultiExplicitIR6.dcm (0010,1001)
        { "ISO 2022 IR 6\\ISO 2022 IR 87", "PN", "1B24422464245E24401B28425E1B2442243F246D24261B28425C1B24422464245E24401B28425E1B2442243F246D24261B284220", "やまだ^たろう\\やまだ^たろう" },
        // chrKoreanMulti.dcm (0008,1070)
        { "\\ISO 2022 IR 149", "PN", "1B242943B1E8C8F1C1DF1B284220", "김희중" },
        // chrKoreanMulti.dcm (0010,1001)
        { "\\ISO 2022 IR 149", "PN", "1B242943B1E8C8F1C1DF1B28425C1B242943B1E8C8F1C1DF1B284220", "김희중\\김희중" },
        // chrKoreanMulti.dcm (0010,21B0)
        { "\\ISO 2022 IR 149", "LT", "1B242943B1E8C8F1C1DF1B284220", "김희중" },
        // chrRuss.dcm (0010,0010): the file mixes ASCII c, e, y, p into the Cyrillic
        { "ISO_IR 144", "PN", "BBEEDA6365DCD17970D3", "Люкceмбypг" },
        // chrSQEncoding.dcm (0010,0010) in the sequence item: returns to G0 with ESC ( B although value 1 is IR 13
        { "ISO 2022 IR 13\\ISO 2022 IR 87", "PN", "D4CFC0DE5EC0DBB33D1B24423B3345441B28425E1B244242404F3A1B28423D1B24422464245E24401B28425E1B2442243F246D24261B2842", "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう" },
        // chrX1.dcm (0010,0010)
        { "ISO_IR 192", "PN", "57616E675E5869616F446F6E673DE78E8B5EE5B08FE69DB13D20", "Wang^XiaoDong=王^小東" },
        // chrX2.dcm (0010,0010)
        { "GB18030", "PN", "57616E675E5869616F446F6E673DCDF55ED0A1B6AB3D", "Wang^XiaoDong=王^小东" },
        // chrGB2312.dcm (0010,0010) (fo-dicom's copy of the PS3.5 Annex K example). pydicom 2.3.1 returns
        // "Zhang^XiaoDong=\u001B$)A张^\u001B$)A小东": it hands the escape sequence to Python's gb2312 codec, which keeps it.
        // The characters are pydicom's (b'\xd5\xc5'.decode('gb2312') and so on); the escape sequences are not text.
        { "\\ISO 2022 IR 58", "PN", "5A68616E675E5869616F446F6E673D1B242941D5C55E1B242941D0A1B6AB3D20", "Zhang^XiaoDong=张^小东" },
        // GH1301_GB18030_bad_CS.dcm (0010,0040): CS is the default repertoire whatever the character set; read as Latin-1
        { "GB18030", "CS", "C4D0", "ÄÐ" },
    };

    /// <summary>
    /// Constructed values for the terms that have no sample file: the text encoded with Python's codec for the term, then
    /// decoded by pydicom 2.3.1 (<c>PersonName(raw, convert_encodings(terms))</c> or <c>decode_bytes(raw, ..., TEXT_VR_DELIMS)</c>).
    /// </summary>
    public static TheoryData<string, string, string, string> ConstructedValues => new()
    {
        { "ISO_IR 101", "PN", "5761B3EA73615E4C656368", "Wałęsa^Lech" },
        { "ISO_IR 101", "PN", "44766FF8E16B5E416E746F6EED6E", "Dvořák^Antonín" },
        { "ISO_IR 109", "PN", "47B161776465785EC5656E7375", "Għawdex^Ċensu" },
        { "ISO_IR 110", "PN", "42BA727A69F1B95E4AE06E6973", "Bērziņš^Jānis" },
        { "ISO_IR 148", "PN", "D67A74FC726B5EDEFC6B72FC", "Öztürk^Şükrü" },
        { "ISO_IR 166", "PN", "CAC1AAD2C25EE3A8B4D5", "สมชาย^ใจดี" },
        { "ISO_IR 13", "PN", "D4CFC0DE5EC0DBB3", "ﾔﾏﾀﾞ^ﾀﾛｳ" },
        { "GBK", "PN", "D6EC5EE946BBF9", "朱^镕基" },
        // pydicom's own encoder output for "鄧^丂" with \ISO 2022 IR 87\ISO 2022 IR 159 (JIS X 0212 kanji)
        { "\\ISO 2022 IR 87\\ISO 2022 IR 159", "PN", "1B24284462471B28425E1B24284430211B2842", "鄧^丂" },
        // single-byte code extensions: Latin-1 then Cyrillic designated to G1 by ESC - L
        { "ISO 2022 IR 100\\ISO 2022 IR 144", "PN", "4275635E4AE972F46D653D1B2D4CBBEEDA", "Buc^Jérôme=Люк" },
        // no Specific Character Set: bytes above 0x7F as Latin-1 (pydicom's default 'iso8859')
        { "", "LO", "436166E9", "Café" },
    };

    /// <summary>
    /// Lenient decoding (pydicom's strings, obtained as for <see cref="ConstructedValues"/>). These do not survive a write:
    /// the text holds characters that the listed sets cannot represent there.
    /// </summary>
    public static TheoryData<string, string, string, string> DecodeOnlyValues => new()
    {
        // JIS X 0201 Romaji: pydicom (shift_jis) reads 0x5C and 0x7E as '\' and '~', not as Yen sign and overline
        { "ISO_IR 13", "LT", "615C627E63", "a\\b~c" },
        // Shift_JIS kanji written under ISO_IR 13 ("山田表"; 表 is 0x95 0x5C): pydicom reads them with shift_jis
        { "ISO_IR 13", "LT", "8E529363955C", "山田表" },
        // '^' returns G1 to the initial set: the default repertoire, whose bytes above 0x7F pydicom reads as Latin-1
        { "\\ISO 2022 IR 149", "PN", "1B242943B1E85EB1E8", "김^±è" },
        // an escape sequence that is no DICOM character set stays in the text (pydicom)
        { "\\ISO 2022 IR 87", "LO", "61621B24516364", "ab\u001B$Qcd" },
    };

    [Theory]
    [MemberData(nameof(SampleValues))]
    [MemberData(nameof(ConstructedValues))]
    [MemberData(nameof(DecodeOnlyValues))]
    public void Decode_GivesPydicomString(string specificCharacterSet, string vrCode, string hex, string expected)
    {
        var charset = DicomCharacterSet.FromValue(specificCharacterSet);
        var vr = DicomVRExtensions.FromCode(vrCode)!.Value;

        var decoded = charset.Decode(Convert.FromHexString(hex), vr);

        Assert.Equal(expected, PydicomView(decoded, vr));
    }

    [Theory]
    [MemberData(nameof(SampleValues))]
    [MemberData(nameof(ConstructedValues))]
    public void EncodeThenDecode_GivesTheSameText(string specificCharacterSet, string vrCode, string hex, string expected)
    {
        _ = expected;
        var charset = DicomCharacterSet.FromValue(specificCharacterSet);
        var vr = DicomVRExtensions.FromCode(vrCode)!.Value;
        var text = charset.Decode(Convert.FromHexString(hex), vr);

        Assert.Equal(text, charset.Decode(charset.Encode(text, vr), vr));
    }

    /// <summary>
    /// Values whose bytes our encoder reproduces exactly. Left out: chrKoreanMulti (it ends with an ESC ( B that
    /// re-designates ASCII although G0 never left it; PS3.5 Annex I writes none), chrSQEncoding (returns to G0 with
    /// ESC ( B where value 1 is ISO 2022 IR 13, whose G0 is JIS X 0201 Romaji, ESC ( J), the escape-less ISO 2022 IR 13
    /// Shift_JIS and unknown-escape cases.
    /// </summary>
    public static TheoryData<string, string, string> ExactlyReencoded => new()
    {
        { "ISO_IR 127", "PN", "E2C8C7E6EA5EE4E6D2C7D120" },
        { "ISO_IR 100", "PN", "4275635E4AE972F46D655C4275635E4AE972F46D6520" },
        { "ISO_IR 126", "PN", "C4E9EFEDF5F3E9EFF220" },
        { "ISO_IR 138", "PN", "F9F8E5EF5EE3E1E5F8E4" },
        { "ISO_IR 144", "PN", "BBEEDA6365DCD17970D3" },
        { "ISO_IR 166", "PN", "CAC1AAD2C25EE3A8B4D5" },
        // chrH31 (ISO 2022 IR 87): ESC $ B per component, ESC ( B before every '^' and '=' and at the end
        { "\\ISO 2022 IR 87", "PN", "59616D6164615E5461726F753D1B24423B3345441B28425E1B244242404F3A1B28423D1B24422464245E24401B28425E1B2442243F246D24261B2842" },
        // chrH32: value 1 is ISO 2022 IR 13, so G0 returns with ESC ( J; katakana in the initial G1 need no escape
        { "ISO 2022 IR 13\\ISO 2022 IR 87", "PN", "D4CFC0DE5EC0DBB33D1B24423B3345441B284A5E1B244242404F3A1B284A3D1B24422464245E24401B284A5E1B2442243F246D24261B284A" },
        // chrJapMulti: two values, padding space after the final ESC ( B
        { "\\ISO 2022 IR 87", "PN", "1B24422464245E24401B28425E1B2442243F246D24261B28425C1B24422464245E24401B28425E1B2442243F246D24261B284220" },
        { "\\ISO 2022 IR 87", "LT", "1B2442243F246D24261B2842" },
        // chrI2 = PS3.5 Annex I (ISO 2022 IR 149): ESC $ ) C after each delimiter, no escape back (G0 never changed)
        { "\\ISO 2022 IR 149", "PN", "486F6E675E47696C646F6E673D1B242943FBF35E1B242943D1CED4D73D1B242943C8AB5E1B242943B1E6B5BF" },
        // chrGB2312 = PS3.5 Annex K (ISO 2022 IR 58)
        { "\\ISO 2022 IR 58", "PN", "5A68616E675E5869616F446F6E673D1B242941D5C55E1B242941D0A1B6AB3D20" },
        { "\\ISO 2022 IR 87\\ISO 2022 IR 159", "PN", "1B24284462471B28425E1B24284430211B2842" },
        { "ISO 2022 IR 100\\ISO 2022 IR 144", "PN", "4275635E4AE972F46D653D1B2D4CBBEEDA" },
        { "ISO_IR 192", "PN", "57616E675E5869616F446F6E673DE78E8B5EE5B08FE69DB13D20" },
        { "GB18030", "PN", "57616E675E5869616F446F6E673DCDF55ED0A1B6AB3D" },
        { "GBK", "PN", "D6EC5EE946BBF9" },
        { "GB18030", "CS", "C4D0" },
    };

    [Theory]
    [MemberData(nameof(ExactlyReencoded))]
    public void Encode_ReproducesTheSampleBytes(string specificCharacterSet, string vrCode, string hex)
    {
        var charset = DicomCharacterSet.FromValue(specificCharacterSet);
        var vr = DicomVRExtensions.FromCode(vrCode)!.Value;
        var bytes = Convert.FromHexString(hex);

        Assert.Equal(hex, Convert.ToHexString(charset.Encode(charset.Decode(bytes, vr), vr)));
    }

    // ----------------------------------------------------------------------------------------------------------------
    // The sample files themselves, read in place.
    // ----------------------------------------------------------------------------------------------------------------

    /// <summary>Where ("pydicom" = python3-pydicom's charset_files, "shared" = the shared sample corpus), file, tag, pydicom's string.</summary>
    public static TheoryData<string, string, string, string> SampleFiles => new()
    {
        { "pydicom", "chrArab.dcm", "00100010", "قباني^لنزار" },
        { "pydicom", "chrFren.dcm", "00100010", "Buc^Jérôme" },
        { "pydicom", "chrFrenMulti.dcm", "00100010", "Buc^Jérôme" },
        { "pydicom", "chrFrenMulti.dcm", "00101000", "eggs\\spam" },
        { "pydicom", "chrFrenMulti.dcm", "00101001", "Buc^Jérôme\\Buc^Jérôme" },
        { "pydicom", "chrGerm.dcm", "00100010", "Äneas^Rüdiger" },
        { "pydicom", "chrGreek.dcm", "00100010", "Διονυσιος" },
        { "pydicom", "chrH31.dcm", "00100010", "Yamada^Tarou=山田^太郎=やまだ^たろう" },
        { "pydicom", "chrH32.dcm", "00100010", "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう" },
        { "pydicom", "chrHbrw.dcm", "00100010", "שרון^דבורה" },
        { "pydicom", "chrI2.dcm", "00100010", "Hong^Gildong=洪^吉洞=홍^길동" },
        { "pydicom", "chrJapMulti.dcm", "00100010", "やまだ^たろう" },
        { "pydicom", "chrJapMulti.dcm", "00101001", "やまだ^たろう\\やまだ^たろう" },
        { "pydicom", "chrJapMulti.dcm", "001021B0", "たろう" },
        { "pydicom", "chrJapMulti.dcm", "00191010", "EC=0.00\\LR=0.00\\MC=3.50\\NR=3.00\\MD0=-0.4000\\MD1=0.2000\\FA=C\\FP=0.1000\\BALANCE=0\\MLMIN=0.5000\\MLMAX=2.5000\\MFOC=0.5000" },
        { "pydicom", "chrJapMultiExplicitIR6.dcm", "00100010", "やまだ^たろう" },
        { "pydicom", "chrJapMultiExplicitIR6.dcm", "00101001", "やまだ^たろう\\やまだ^たろう" },
        { "pydicom", "chrJapMultiExplicitIR6.dcm", "001021B0", "たろう" },
        { "pydicom", "chrKoreanMulti.dcm", "00081070", "김희중" },
        { "pydicom", "chrKoreanMulti.dcm", "00100010", "김희중" },
        { "pydicom", "chrKoreanMulti.dcm", "00101001", "김희중\\김희중" },
        { "pydicom", "chrKoreanMulti.dcm", "001021B0", "김희중" },
        { "pydicom", "chrRuss.dcm", "00100010", "Люкceмбypг" },
        // (0008,0005) of the sequence item (ISO 2022 IR 13\ISO 2022 IR 87) overrides the data set's ISO_IR 192
        { "pydicom", "chrSQEncoding.dcm", "00100010", "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう" },
        // the item has no (0008,0005): the data set's applies
        { "pydicom", "chrSQEncoding1.dcm", "00100010", "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう" },
        { "pydicom", "chrX1.dcm", "00100010", "Wang^XiaoDong=王^小東" },
        { "pydicom", "chrX2.dcm", "00100010", "Wang^XiaoDong=王^小东" },
        { "shared", "charset/chrFren.dcm", "00100010", "Buc^Jérôme" },
        { "shared", "charset/chrH31.dcm", "00100010", "Yamada^Tarou=山田^太郎=やまだ^たろう" },
        { "shared", "charset/chrKoreanMulti.dcm", "00100010", "김희중" },
        { "shared", "charset/chrKoreanMulti.dcm", "00101001", "김희중\\김희중" },
        { "shared", "charset/chrKoreanMulti.dcm", "001021B0", "김희중" },
        { "shared", "charset/chrX1.dcm", "00100010", "Wang^XiaoDong=王^小東" },
        { "shared", "charset/chrX2.dcm", "00100010", "Wang^XiaoDong=王^小东" },
        // pydicom 2.3.1 leaves the ESC $ ) A sequences in this string (see SampleValues)
        { "shared", "charset/chrGB2312.dcm", "00100010", "Zhang^XiaoDong=张^小东" },
        { "shared", "malformed/GH1301_GB18030_bad_CS.dcm", "00100010", "Wang^XiaoDong=王^小东" },
        { "shared", "malformed/GH1301_GB18030_bad_CS.dcm", "00100040", "ÄÐ" },
    };

    [Theory]
    [MemberData(nameof(SampleFiles))]
    public void Decode_SampleFile_GivesPydicomString(string location, string file, string tagHex, string expected)
    {
        var (charset, vr, value) = ReadSample(location, file, tagHex);

        Assert.Equal(expected, PydicomView(charset.Decode(value, vr), vr));
    }

    /// <summary>Encoding the decoded PN values of the real files gives their bytes back (ISO 2022 IR 87, 13 + 87, 149, 58).</summary>
    [Theory]
    [InlineData("pydicom", "chrH31.dcm", "00100010")]
    [InlineData("pydicom", "chrH32.dcm", "00100010")]
    [InlineData("pydicom", "chrI2.dcm", "00100010")]
    [InlineData("pydicom", "chrJapMulti.dcm", "00101001")]
    [InlineData("pydicom", "chrX1.dcm", "00100010")]
    [InlineData("pydicom", "chrX2.dcm", "00100010")]
    [InlineData("shared", "charset/chrH31.dcm", "00100010")]
    [InlineData("shared", "charset/chrGB2312.dcm", "00100010")]
    [InlineData("shared", "charset/chrFren.dcm", "00100010")]
    [InlineData("shared", "malformed/GH1301_GB18030_bad_CS.dcm", "00100040")]
    public void Encode_SampleFile_ReproducesItsBytes(string location, string file, string tagHex)
    {
        var (charset, vr, value) = ReadSample(location, file, tagHex);

        Assert.Equal(Convert.ToHexString(value), Convert.ToHexString(charset.Encode(charset.Decode(value, vr), vr)));
    }

    /// <summary>chrKoreanMulti ends its values with a redundant ESC ( B; the rest is what we write.</summary>
    [Fact]
    public void Encode_KoreanSample_DiffersOnlyByTheRedundantFinalEscape()
    {
        var (charset, vr, value) = ReadSample("shared", "charset/chrKoreanMulti.dcm", "00100010");
        var text = charset.Decode(value, vr);

        Assert.Equal("김희중 ", text);
        Assert.Equal("1B242943B1E8C8F1C1DF20", Convert.ToHexString(charset.Encode(text, vr)));
        Assert.Equal("1B242943B1E8C8F1C1DF1B284220", Convert.ToHexString(value));
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Encoding rules (PS3.5 6.1.2.5.3).
    // ----------------------------------------------------------------------------------------------------------------

    [Fact]
    public void Encode_JapanesePersonName_HasThreeComponentGroupsWithEscapes()
    {
        var charset = DicomCharacterSet.FromTerms(["", "ISO 2022 IR 87"]);

        var bytes = charset.Encode("Yamada^Tarou=山田^太郎=やまだ^たろう", DicomVR.PN);

        Assert.Equal(
            "Yamada^Tarou=\u001B$B;3ED\u001B(B^\u001B$BB@O:\u001B(B=\u001B$B$d$^$@\u001B(B^\u001B$B$?$m$&\u001B(B",
            Encoding.Latin1.GetString(bytes));
    }

    [Fact]
    public void Encode_ReturnsToInitialSetBeforeValueDelimiterAndControlCharacters()
    {
        var charset = DicomCharacterSet.FromTerms(["", "ISO 2022 IR 87"]);

        Assert.Equal("\u001B$B;3ED\u001B(B\\\u001B$BB@O:\u001B(B", Encoding.Latin1.GetString(charset.Encode("山田\\太郎", DicomVR.LO)));
        Assert.Equal("\u001B$B;3ED\u001B(B\r\n\u001B$BB@O:\u001B(B", Encoding.Latin1.GetString(charset.Encode("山田\r\n太郎", DicomVR.LT)));
        Assert.Equal("\u001B$B;3ED\u001B(B\t\u001B$BB@O:\u001B(B", Encoding.Latin1.GetString(charset.Encode("山田\t太郎", DicomVR.ST)));
        // in LT '\' is no delimiter, but JIS X 0208 has no '\': ASCII is designated for it all the same
        Assert.Equal("\u001B$B;3ED\u001B(B\\\u001B$BB@O:\u001B(B", Encoding.Latin1.GetString(charset.Encode("山田\\太郎", DicomVR.LT)));
        // a space is written in ASCII
        Assert.Equal("\u001B$B;3ED\u001B(B \u001B$BB@O:\u001B(B", Encoding.Latin1.GetString(charset.Encode("山田 太郎", DicomVR.PN)));
    }

    [Fact]
    public void Encode_ChoosesTheFirstListedSetThatHoldsTheCharacter()
    {
        // 山 is in JIS X 0208 and in GB 2312; 东 (simplified) only in GB 2312
        var japaneseFirst = DicomCharacterSet.FromTerms(["", "ISO 2022 IR 87", "ISO 2022 IR 58"]);
        var chineseFirst = DicomCharacterSet.FromTerms(["", "ISO 2022 IR 58", "ISO 2022 IR 87"]);

        Assert.Equal("1B24423B331B2842", Convert.ToHexString(japaneseFirst.Encode("山", DicomVR.LO)));
        Assert.Equal("1B242941C9BD", Convert.ToHexString(chineseFirst.Encode("山", DicomVR.LO)));
        // G0 returns to ASCII before the G1 character (for decoders that apply the last escape to all that follows)
        Assert.Equal("1B24423B33" + "1B2842" + "1B242941B6AB", Convert.ToHexString(japaneseFirst.Encode("山东", DicomVR.LO)));
        Assert.Equal("山东", japaneseFirst.Decode(japaneseFirst.Encode("山东", DicomVR.LO), DicomVR.LO));
    }

    [Fact]
    public void Encode_SwitchesSingleByteSetsInG1()
    {
        var charset = DicomCharacterSet.FromTerms(["ISO 2022 IR 100", "ISO 2022 IR 144"]);

        var bytes = charset.Encode("Jérôme Люк é", DicomVR.LO);

        // é in the initial Latin-1 G1, then ESC - L for Cyrillic, then ESC - A back for é
        Assert.Equal("4AE972F46D6520" + "1B2D4C" + "BBEEDA20" + "1B2D41" + "E9", Convert.ToHexString(bytes));
        Assert.Equal("Jérôme Люк é", charset.Decode(bytes, DicomVR.LO));
    }

    [Fact]
    public void Encode_UnrepresentableCharacter_IsQuestionMark_AndCanEncodeIsFalse()
    {
        var latin1 = DicomCharacterSet.FromTerms(["ISO_IR 100"]);

        Assert.False(latin1.CanEncode("Jérôme Люк"));
        Assert.True(latin1.CanEncode("Jérôme"));
        Assert.Equal("J\u00E9r\u00F4me ???", Encoding.Latin1.GetString(latin1.Encode("Jérôme Люк", DicomVR.PN)));

        var japanese = DicomCharacterSet.FromTerms(["", "ISO 2022 IR 87"]);
        Assert.False(japanese.CanEncode("김"));
        Assert.Equal("\u001B$B;3\u001B(B?", Encoding.Latin1.GetString(japanese.Encode("山김", DicomVR.PN)));
    }

    [Fact]
    public void Default_WritesLatin1BytesItReadsBack_ButCannotStrictlyEncodeThem()
    {
        var charset = DicomCharacterSet.Default;

        Assert.True(charset.IsDefault);
        Assert.True(charset.CanEncode("Buc^Jerome"));
        Assert.False(charset.CanEncode("Buc^Jérôme"));
        Assert.Equal("4275635E4AE972F46D65", Convert.ToHexString(charset.Encode("Buc^Jérôme", DicomVR.PN)));
        Assert.Equal("Buc^Jérôme", charset.Decode(Convert.FromHexString("4275635E4AE972F46D65"), DicomVR.PN));
    }

    [Fact]
    public void DefaultRepertoireVRs_IgnoreTheCharacterSet()
    {
        // (0010,0040) CS of GH1301 holds GB18030 bytes for 男; pydicom reads CS as Latin-1 and so does the writer, byte for byte
        var charset = DicomCharacterSet.FromTerms(["GB18030"]);
        byte[] bytes = [0xC4, 0xD0];

        Assert.Equal("ÄÐ", charset.Decode(bytes, DicomVR.CS));
        Assert.Equal(bytes, charset.Encode("ÄÐ", DicomVR.CS));
        Assert.Equal("男", charset.Decode(bytes, DicomVR.LO));
        Assert.False(charset.CanEncode("ÄÐ", DicomVR.CS));
        Assert.True(charset.CanEncode("ÄÐ", DicomVR.LO));
    }

    public static TheoryData<string[], string> RoundTrips => new()
    {
        { [], "Doe^John" },
        { ["ISO_IR 100"], "Müller^Jürgen=Çà^Ñø" },
        { ["ISO_IR 101"], "Wałęsa^Lech" },
        { ["ISO_IR 109"], "Għawdex^Ċensu" },
        { ["ISO_IR 110"], "Bērziņš^Jānis" },
        { ["ISO_IR 144"], "Достоевский^Фёдор" },
        { ["ISO_IR 127"], "قباني^لنزار" },
        { ["ISO_IR 126"], "Διονυσιος^Σωκράτης" },
        { ["ISO_IR 138"], "שרון^דבורה" },
        { ["ISO_IR 148"], "Öztürk^Şükrü" },
        { ["ISO_IR 166"], "สมชาย^ใจดี" },
        { ["ISO_IR 13"], "ﾔﾏﾀﾞ^ﾀﾛｳ" },
        { ["ISO_IR 192"], "Wang^XiaoDong=王^小東=😀" },
        { ["GB18030"], "Wang^XiaoDong=王^小东=乗\\𠀀" },
        { ["GBK"], "朱^镕基=乗" },
        { ["", "ISO 2022 IR 87"], "Yamada^Tarou=山田^太郎=やまだ^たろう" },
        { ["ISO 2022 IR 13", "ISO 2022 IR 87"], "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう" },
        { ["", "ISO 2022 IR 87", "ISO 2022 IR 159"], "鄧^丂=山田 太郎" },
        { ["", "ISO 2022 IR 149"], "Hong^Gildong=洪^吉洞=홍^길동" },
        { ["", "ISO 2022 IR 58"], "Zhang^XiaoDong=张^小东" },
        { ["ISO 2022 IR 100", "ISO 2022 IR 126", "ISO 2022 IR 144", "ISO 2022 IR 87"], "Jérôme Σωκράτης Фёдор 山田\r\nä" },
    };

    [Theory]
    [MemberData(nameof(RoundTrips))]
    public void Encode_ThenDecode_RoundTrips(string[] terms, string text)
    {
        var charset = DicomCharacterSet.FromTerms(terms);

        Assert.True(charset.CanEncode(text));
        foreach (var vr in (DicomVR[])[DicomVR.PN, DicomVR.LO, DicomVR.LT, DicomVR.UT])
        {
            Assert.Equal(text, charset.Decode(charset.Encode(text, vr), vr));
        }
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Decoding details.
    // ----------------------------------------------------------------------------------------------------------------

    [Fact]
    public void Decode_KeepsPadding()
    {
        var charset = DicomCharacterSet.FromTerms(["ISO_IR 100"]);

        Assert.Equal("Buc^Jérôme ", charset.Decode(Convert.FromHexString("4275635E4AE972F46D6520"), DicomVR.PN));
    }

    [Fact]
    public void Decode_MultiByteSecondByte0x5C_IsNotAValueDelimiter()
    {
        // 乗 is 0x81 0x5C in GB18030 and GBK; two LO values. Python's gb18030 codec on the whole value gives "乗\乗"
        // (pydicom 2.3.1 itself splits the raw bytes at every 0x5C first and so breaks the character).
        byte[] bytes = [0x81, 0x5C, 0x5C, 0x81, 0x5C];

        Assert.Equal("乗\\乗", DicomCharacterSet.FromTerms(["GB18030"]).Decode(bytes, DicomVR.LO));
        Assert.Equal("乗\\乗", DicomCharacterSet.FromTerms(["GBK"]).Decode(bytes, DicomVR.LO));
        Assert.Equal(bytes, DicomCharacterSet.FromTerms(["GB18030"]).Encode("乗\\乗", DicomVR.LO));
    }

    [Fact]
    public void Decode_JisX0208Bytes0x5C0x5E0x3D_AreHalvesOfCharacters()
    {
        // in JIS X 0208 ま is 0x24 0x5E ("$^"), 表 is 0x49 0x3D ("I="), 能 is 0x47 0x3D ("G=")
        var charset = DicomCharacterSet.FromTerms(["", "ISO 2022 IR 87"]);
        var bytes = charset.Encode("やまだ=表^能", DicomVR.PN);

        Assert.Equal("\u001B$B$d$^$@\u001B(B=\u001B$BI=\u001B(B^\u001B$BG=\u001B(B", Encoding.Latin1.GetString(bytes));
        Assert.Equal("やまだ=表^能", charset.Decode(bytes, DicomVR.PN));
    }

    [Fact]
    public void Decode_EmptyFirstTerm_MeansDefaultRepertoireAsInitialG0()
    {
        var charset = DicomCharacterSet.FromValue("\\ISO 2022 IR 87");

        Assert.Equal(["", "ISO 2022 IR 87"], charset.Terms);
        Assert.Equal(["ISO 2022 IR 6", "ISO 2022 IR 87"], charset.EffectiveTerms);
        Assert.False(charset.IsDefault);
        Assert.Equal("Yamada", charset.Decode("Yamada"u8, DicomVR.PN));
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Terms.
    // ----------------------------------------------------------------------------------------------------------------

    [Fact]
    public void UnknownTerm_AddsWarning_FallsBackToDefault_DoesNotThrow()
    {
        var warnings = new List<string>();

        var charset = DicomCharacterSet.FromTerms(["ISO_IR 999"], warnings);

        Assert.Single(warnings);
        Assert.Contains("ISO_IR 999", warnings[0], StringComparison.Ordinal);
        Assert.True(charset.IsDefault);
        Assert.Equal(["ISO_IR 999"], charset.Terms);
        Assert.Equal("Café", charset.Decode(Convert.FromHexString("436166E9"), DicomVR.LO));

        warnings.Clear();
        var extended = DicomCharacterSet.FromTerms(["", "ISO 2022 IR 87", "KLINGON"], warnings);
        Assert.Single(warnings);
        Assert.Equal(["ISO 2022 IR 6", "ISO 2022 IR 87"], extended.EffectiveTerms);
    }

    [Theory]
    [InlineData("ISO-IR 100", "ISO_IR 100")]
    [InlineData("ISO IR 100", "ISO_IR 100")]
    [InlineData("ISO_IR_100", "ISO_IR 100")]
    [InlineData("iso_ir 100", "ISO_IR 100")]
    [InlineData("ISO-IR 13", "ISO_IR 13")]
    [InlineData("ISO_IR 192 ", "ISO_IR 192")]
    [InlineData("ISO_2022_IR_87", "ISO 2022 IR 87")]
    [InlineData("ISO-2022-IR 87", "ISO 2022 IR 87")]
    [InlineData("ISO_IR 149", "ISO 2022 IR 149")]
    [InlineData("UTF-8", "ISO_IR 192")]
    [InlineData("latin_1", "ISO_IR 100")]
    [InlineData("gb18030", "GB18030")]
    [InlineData("ISO 2022 GBK", "GBK")]
    [InlineData("ISO 2022 58", "ISO 2022 IR 58")]
    public void MisspeltTerm_IsCorrected(string term, string expected)
    {
        var warnings = new List<string>();

        var charset = DicomCharacterSet.FromTerms([term], warnings);

        Assert.Equal([expected], charset.EffectiveTerms);
        Assert.Equal(term.TrimEnd() == expected ? 0 : 1, warnings.Count);
    }

    [Fact]
    public void StandAloneTerms_DoNotTakeCodeExtensions()
    {
        var warnings = new List<string>();

        var utf8First = DicomCharacterSet.FromTerms(["ISO_IR 192", "ISO 2022 IR 87"], warnings);
        var utf8Later = DicomCharacterSet.FromTerms(["", "ISO_IR 192", "ISO 2022 IR 87"], warnings);

        Assert.Equal(2, warnings.Count);
        Assert.Equal(["ISO_IR 192"], utf8First.EffectiveTerms);
        Assert.Equal(["ISO 2022 IR 6", "ISO 2022 IR 87"], utf8Later.EffectiveTerms);
        Assert.Equal("王", utf8First.Decode(Convert.FromHexString("E78E8B"), DicomVR.PN));
    }

    [Fact]
    public void DefaultAndEquality()
    {
        Assert.Same(DicomCharacterSet.Default, DicomCharacterSet.FromTerms([]));
        Assert.Empty(DicomCharacterSet.Default.Terms);
        Assert.True(DicomCharacterSet.FromTerms([""]).IsDefault);
        Assert.True(DicomCharacterSet.FromTerms(["ISO_IR 6"]).IsDefault);
        Assert.False(DicomCharacterSet.FromTerms(["ISO_IR 100"]).IsDefault);
        Assert.Equal(DicomCharacterSet.FromTerms(["ISO_IR 100"]), DicomCharacterSet.FromTerms(["ISO-IR 100"]));
        Assert.NotEqual(DicomCharacterSet.FromTerms(["ISO_IR 100"]), DicomCharacterSet.FromTerms(["ISO_IR 101"]));
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Helpers.
    // ----------------------------------------------------------------------------------------------------------------

    /// <summary>Our whole-value text as pydicom presents it: trailing padding off each value, PN without empty trailing groups.</summary>
    private static string PydicomView(string decoded, DicomVR vr)
    {
        var values = vr.IsMultiValuedString() ? decoded.Split('\\') : [decoded];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = values[i].TrimEnd(' ', '\0');
            if (vr == DicomVR.PN)
            {
                values[i] = values[i].TrimEnd('=');
            }
        }

        return string.Join('\\', values);
    }

    /// <summary>
    /// The character set, VR and raw value of an element of an explicit VR little endian sample, found by its tag and VR
    /// bytes; the character set is the last (0008,0005) before it (a sequence item's own, or the data set's).
    /// </summary>
    private static (DicomCharacterSet CharacterSet, DicomVR VR, byte[] Value) ReadSample(string location, string file, string tagHex)
    {
        string path;
        if (location == "pydicom")
        {
            path = Path.Combine(PydicomCharsetFiles, file);
            if (!File.Exists(path))
            {
                Assert.Skip($"{path} is absent (Debian package python3-pydicom not installed): sample test skipped.");
            }
        }
        else
        {
            path = TestSamples.PathOf(file);
        }

        var bytes = File.ReadAllBytes(path);
        var tag = Convert.ToUInt32(tagHex, 16);
        var (offset, vr, value) = FindElement(bytes, tag, 132, bytes.Length)
            ?? throw new InvalidOperationException($"({tagHex}) not found in {file}");
        var charset = DicomCharacterSet.Default;
        for (var start = 132; FindElement(bytes, 0x00080005, start, offset) is { } cs; start = cs.Offset + 8)
        {
            charset = DicomCharacterSet.FromValue(Encoding.ASCII.GetString(cs.Value));
        }

        return (charset, vr, value);
    }

    private static (int Offset, DicomVR VR, byte[] Value)? FindElement(byte[] file, uint tag, int from, int to)
    {
        Span<byte> pattern = stackalloc byte[4];
        BinaryPrimitives.WriteUInt16LittleEndian(pattern, (ushort)(tag >> 16));
        BinaryPrimitives.WriteUInt16LittleEndian(pattern[2..], (ushort)tag);
        for (var i = from; i + 8 <= to; i++)
        {
            var at = file.AsSpan(i, to - i).IndexOf(pattern);
            if (at < 0)
            {
                return null;
            }

            i += at;
            if (i + 8 > file.Length || DicomVRExtensions.FromCode(file[i + 4], file[i + 5]) is not { } vr)
            {
                continue;
            }

            var (length, header) = vr.HasLongLength()
                ? ((int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(i + 8)), 12)
                : (BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(i + 6)), 8);
            if (i + header + length <= file.Length)
            {
                return (i, vr, file.AsSpan(i + header, length).ToArray());
            }
        }

        return null;
    }
}
