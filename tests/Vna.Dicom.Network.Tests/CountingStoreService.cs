using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Vna.Dicom.Network.Tests;

/// <summary>A storage SCP for tests: reads each data set as a stream, keeps its SHA-256 and length, answers success.</summary>
internal sealed class CountingStoreService : IDimseService
{
    public ConcurrentDictionary<string, (string Sha256, long Length)> Received { get; } = new();

    public int Completed => Received.Count;

    public Func<DimseMessage, Task>? BeforeReading { get; set; }

    public string? SelectTransferSyntax(AssociateRequest request, string abstractSyntax, IReadOnlyList<string> proposed) =>
        abstractSyntax.StartsWith("1.2.840.10008.5.1.4.1.1.", StringComparison.Ordinal) ? proposed.FirstOrDefault() : null;

    public RoleSelection? SelectRoles(AssociateRequest request, RoleSelection proposed) => proposed;

    public bool CanHandle(DimseCommandField commandField, string abstractSyntax) => commandField == DimseCommandField.CStoreRequest;

    public async Task HandleAsync(DicomAssociation association, DimseMessage request, CancellationToken cancellationToken)
    {
        if (BeforeReading is not null)
        {
            await BeforeReading(request);
        }

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[8192];
        long length = 0;
        int n;
        while ((n = await request.Data!.ReadAsync(buffer, cancellationToken)) > 0)
        {
            sha.AppendData(buffer, 0, n);
            length += n;
        }

        Received[request.Command.AffectedSopInstanceUid!] = (Convert.ToHexStringLower(sha.GetHashAndReset()), length);
        await association.SendResponseAsync(request, DimseCommand.ResponseTo(request.Command, DimseStatus.Success), null, cancellationToken);
    }
}
