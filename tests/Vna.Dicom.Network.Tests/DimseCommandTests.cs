namespace Vna.Dicom.Network.Tests;

public sealed class DimseCommandTests
{
    [Fact]
    public void A_command_set_survives_encoding_in_implicit_little_endian_with_its_group_length()
    {
        var command = new DimseCommand(DimseCommandField.CMoveRequest)
        {
            MessageId = 7,
            AffectedSopClassUid = "1.2.840.10008.5.1.4.1.2.2.2",
            MoveDestination = "STORESCP",
            Priority = 1,
            HasDataSet = true,
        };

        var bytes = command.Encode();

        // (0000,0000) UL 4 = the length of what follows.
        Assert.Equal(new byte[] { 0, 0, 0, 0, 4, 0, 0, 0 }, bytes[..8]);
        Assert.Equal(bytes.Length - 12, BitConverter.ToInt32(bytes, 8));
        Assert.Equal(0, bytes.Length % 2);

        var decoded = DimseCommand.Decode(bytes);
        Assert.Equal(DimseCommandField.CMoveRequest, decoded.CommandField);
        Assert.Equal((ushort)7, decoded.MessageId);
        Assert.Equal("1.2.840.10008.5.1.4.1.2.2.2", decoded.AffectedSopClassUid);
        Assert.Equal("STORESCP", decoded.MoveDestination);
        Assert.True(decoded.HasDataSet);
        Assert.False(decoded.IsResponse);
    }

    [Fact]
    public void A_response_echoes_the_request()
    {
        var request = new DimseCommand(DimseCommandField.CStoreRequest) { MessageId = 12, AffectedSopClassUid = "1.2.3", AffectedSopInstanceUid = "1.2.3.4" };

        var response = DimseCommand.Decode(DimseCommand.ResponseTo(request, DimseStatus.CoercionOfDataElements).Encode());

        Assert.Equal(DimseCommandField.CStoreResponse, response.CommandField);
        Assert.True(response.IsResponse);
        Assert.Equal((ushort)12, response.MessageIdBeingRespondedTo);
        Assert.Equal("1.2.3.4", response.AffectedSopInstanceUid);
        Assert.Equal(DimseStatus.CoercionOfDataElements, response.Status);
        Assert.False(response.HasDataSet);
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 1, 4, 0, 0, 0, 1, 0 })] // element (0000,0100) of 4 bytes, cut short
    [InlineData(new byte[] { 8, 0, 16, 0, 2, 0, 0, 0, 1, 0 })] // group 0008 in a command set
    [InlineData(new byte[] { 0, 0, 16, 1, 255, 255, 255, 127 })] // a length far past the end
    [InlineData(new byte[] { 0, 0, 16, 1, 2, 0, 0, 0, 1, 0 })] // no Command Field
    public void A_malformed_command_set_is_a_protocol_error(byte[] bytes)
    {
        Assert.Throws<DicomNetworkException>(() => DimseCommand.Decode(bytes));
    }
}
