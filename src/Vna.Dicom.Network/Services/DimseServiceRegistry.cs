namespace Vna.Dicom.Network;

/// <summary>
/// The services an association offers, asked in the order they were added (see <see cref="IDimseService"/>): negotiation of
/// presentation contexts and roles, and dispatch of requests. A request no service handles is answered with status 0x0211
/// (unrecognized operation), or 0x0122 (SOP class not supported) when its context's abstract syntax is served by none.
/// </summary>
public sealed class DimseServiceRegistry
{
    private readonly List<IDimseService> _services = [];

    public DimseServiceRegistry(params IEnumerable<IDimseService> services)
    {
        ArgumentNullException.ThrowIfNull(services);
        _services.AddRange(services);
    }

    public IReadOnlyList<IDimseService> Services => _services;

    public DimseServiceRegistry Add(IDimseService service)
    {
        ArgumentNullException.ThrowIfNull(service);
        _services.Add(service);
        return this;
    }

    /// <summary>Answers every proposed presentation context.</summary>
    public IReadOnlyList<PresentationContextAnswer> Negotiate(AssociateRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var answers = new List<PresentationContextAnswer>(request.PresentationContexts.Count);
        foreach (var pc in request.PresentationContexts)
        {
            string? chosen = null;
            var served = false;
            foreach (var service in _services)
            {
                chosen = service.SelectTransferSyntax(request, pc.AbstractSyntax, pc.TransferSyntaxes);
                if (chosen is not null)
                {
                    break;
                }

                served |= service.SelectTransferSyntax(request, pc.AbstractSyntax, KnownSyntaxes) is not null;
            }

            answers.Add(chosen is not null
                ? new PresentationContextAnswer(pc.Id, PresentationContextResult.Acceptance, chosen, pc.AbstractSyntax)
                : new PresentationContextAnswer(
                    pc.Id,
                    served ? PresentationContextResult.TransferSyntaxesNotSupported : PresentationContextResult.AbstractSyntaxNotSupported,
                    null,
                    pc.AbstractSyntax));
        }

        return answers;
    }

    /// <summary>Answers the role selection items the requestor proposed, for the abstract syntaxes accepted.</summary>
    public IReadOnlyList<RoleSelection> NegotiateRoles(AssociateRequest request, IReadOnlyList<PresentationContextAnswer> accepted)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(accepted);
        var answers = new List<RoleSelection>();
        foreach (var proposed in request.RoleSelections)
        {
            if (!accepted.Any(a => a.IsAccepted && string.Equals(a.AbstractSyntax, proposed.SopClassUid, StringComparison.Ordinal)))
            {
                continue;
            }

            foreach (var service in _services)
            {
                if (service.SelectRoles(request, proposed) is { } answer)
                {
                    // Never grant a role that was not proposed.
                    answers.Add(answer with { ScuRole = answer.ScuRole && proposed.ScuRole, ScpRole = answer.ScpRole && proposed.ScpRole });
                    break;
                }
            }
        }

        return answers;
    }

    /// <summary>The service for a request, or null.</summary>
    public IDimseService? Find(DimseCommandField commandField, string abstractSyntax) =>
        _services.FirstOrDefault(s => s.CanHandle(commandField, abstractSyntax));

    /// <summary>Hands a request to its service, or answers it with a failure when none handles it.</summary>
    public async Task DispatchAsync(DicomAssociation association, DimseMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(association);
        ArgumentNullException.ThrowIfNull(request);
        var service = Find(request.Command.CommandField, request.PresentationContext.AbstractSyntax);
        if (service is null)
        {
            var status = _services.Any(s => s.SelectTransferSyntax(association.Request, request.PresentationContext.AbstractSyntax, KnownSyntaxes) is not null)
                ? DimseStatus.UnrecognizedOperation
                : DimseStatus.SopClassNotSupported;
            await association.SendResponseAsync(request, DimseCommand.ResponseTo(request.Command, status), null, cancellationToken).ConfigureAwait(false);
            return;
        }

        await service.HandleAsync(association, request, cancellationToken).ConfigureAwait(false);
    }

    private static readonly string[] KnownSyntaxes = [.. DicomTransferSyntax.Known.Select(t => t.Uid)];
}
