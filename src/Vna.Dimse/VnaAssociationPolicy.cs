using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vna.Core;
using Vna.Dicom.Network;

namespace Vna.Dimse;

/// <summary>
/// Who may associate with the archive: the called AE title must be the archive's (or an alias: else "called AE title not
/// recognized"); the calling AE title must belong to a configured department (else "calling AE title not recognized",
/// unless unknown callers are allowed as the default department); a user identity, when configured, must match a user.
/// The department (and user) are kept on the association for the services' permission checks (<see cref="DimseAccess"/>).
/// </summary>
public sealed partial class VnaAssociationPolicy : IAssociationPolicy
{
    private readonly DimseSettings _settings;
    private readonly IOptionsMonitor<ArchiveOptions> _archive;
    private readonly ILogger<VnaAssociationPolicy> _logger;

    public VnaAssociationPolicy(DimseSettings settings, IOptionsMonitor<ArchiveOptions> archive, ILogger<VnaAssociationPolicy> logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(archive);
        ArgumentNullException.ThrowIfNull(logger);
        _settings = settings;
        _archive = archive;
        _logger = logger;
    }

    public ValueTask<AssociationDecision> DecideAsync(AssociateRequest request, AssociationPeer peer, DimseServiceRegistry services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        return ValueTask.FromResult(Decide(request, services));
    }

    internal AssociationDecision Decide(AssociateRequest request, DimseServiceRegistry services)
    {
        var options = _settings.Options;
        if (!_settings.CalledAeTitles.Contains(request.CalledAeTitle.Trim()))
        {
            LogRejected("called AE title not recognized");
            LogRejectedDetail(request.CallingAeTitle, request.CalledAeTitle);
            return AssociationDecision.Rejected(AssociateReject.CalledAeNotRecognized);
        }

        var archive = _archive.CurrentValue;
        var resolver = new DepartmentResolver(archive);
        var calling = request.CallingAeTitle.Trim();
        var listed = archive.Departments.FirstOrDefault(d => d.AeTitles.Any(t => string.Equals(t.Trim(), calling, StringComparison.Ordinal)));
        var department = listed ?? (options.AllowUnknownCallingAeTitles ? resolver.DefaultDepartment : null);

        string? user = null;
        if (request.UserIdentity is { } identity)
        {
            var match = FindUser(identity);
            if (match is null && (options.RequireUserIdentity || options.Users.Count > 0))
            {
                LogRejected("user identity refused");
                return AssociationDecision.Rejected(AssociateReject.NoReason);
            }

            if (match is not null)
            {
                user = match.Username;
                if (match.Department is { Length: > 0 } name)
                {
                    department = resolver.FindByName(name) ?? department;
                }
            }
        }
        else if (options.RequireUserIdentity)
        {
            LogRejected("no user identity");
            return AssociationDecision.Rejected(AssociateReject.NoReason);
        }

        if (department is null)
        {
            LogRejected("calling AE title not recognized");
            LogRejectedDetail(request.CallingAeTitle, request.CalledAeTitle);
            return AssociationDecision.Rejected(AssociateReject.CallingAeNotRecognized);
        }

        var items = new Dictionary<string, object?> { [DimseAccess.DepartmentItem] = department, [DimseAccess.UserItem] = user };
        return AssociationNegotiation.Accept(request, services, options.MaxPduLength, items);
    }

    private DimseUserOptions? FindUser(UserIdentity identity)
    {
        foreach (var candidate in _settings.Options.Users)
        {
            if (!string.Equals(candidate.Username, identity.PrimaryField, StringComparison.Ordinal))
            {
                continue;
            }

            if (candidate.Password is null)
            {
                return identity.Type is UserIdentityType.Username or UserIdentityType.UsernameAndPasscode ? candidate : null;
            }

            if (identity.Type == UserIdentityType.UsernameAndPasscode && identity.SecondaryField is { } given
                && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(candidate.Password)))
            {
                return candidate;
            }

            return null;
        }

        return null;
    }

    [LoggerMessage(1, LogLevel.Information, "Association rejected: {Reason}.")]
    private partial void LogRejected(string reason);

    [LoggerMessage(2, LogLevel.Debug, "Rejected association from {CallingAeTitle} to {CalledAeTitle}.")]
    private partial void LogRejectedDetail(string callingAeTitle, string calledAeTitle);
}
