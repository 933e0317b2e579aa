using System.Text.Json;
using Microsoft.Extensions.Logging;
using Vna.Archive.Lifecycle;
using Vna.Core;
using Vna.Policies;

namespace Vna.Lifecycle;

/// <summary>
/// The policies in force in this silo: read from the database (and re-read when another silo activates), changed only
/// through <see cref="ActivateAsync"/> and <see cref="DeactivateAsync"/>, which validate the document and the whole new
/// set first (a bad document is refused whole and the set in force stays), preview the new set over the archive and
/// refuse without confirmation one that would expire every unheld study, write the audit record, then store and swap.
/// </summary>
public sealed partial class PolicyCatalog(
    PostgresPolicyStore policies,
    PostgresLifecycleStore lifecycle,
    IAuditSink audit,
    LifecycleOptions options,
    LifecycleSweep sweep,
    TimeProvider clock,
    ILogger<PolicyCatalog> logger) : IPolicyProvider
{
    private readonly SemaphoreSlim _changes = new(1, 1);
    private volatile PolicySet _current = PolicySet.Empty;
    private string _stamp = string.Empty;

    public PolicySet Current => _current;

    /// <summary>Re-reads the active documents when they changed in the database; a document that no longer validates keeps the set in force.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var stamp = await policies.StampAsync(cancellationToken).ConfigureAwait(false);
        if (stamp == _stamp)
        {
            return;
        }

        await _changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var (documents, loadedStamp) = await policies.LoadActiveAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var set = PolicySet.Create(documents.Select(d => PolicyLoader.Parse(d.Body, d.Name)));
                _current = set;
                _stamp = loadedStamp;
                LogLoaded(logger, set.Version, set.Rules.Count);
            }
            catch (PolicyValidationException ex)
            {
                _stamp = loadedStamp; // do not retry the same bad set on every poll
                LogRefused(logger, "database", ex.Message);
            }
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>What <paramref name="text"/> (null: the set in force) would do to the archive over <paramref name="days"/> days.</summary>
    /// <exception cref="PolicyValidationException">The document or the set it would make is not valid.</exception>
    public async Task<PreviewReport> PreviewAsync(string? text, string source, int days, int studyLimit, CancellationToken cancellationToken)
    {
        var set = text is null ? _current : _current.With(PolicyLoader.Parse(text, source));
        var facts = await lifecycle.LoadFactsAsync(cancellationToken).ConfigureAwait(false);
        return PolicyPreview.Run(set, facts, clock.GetUtcNow(), days, studyLimit);
    }

    /// <summary>Validates, previews, audits, stores and puts in force a policy document (replacing the active one of its name).</summary>
    /// <exception cref="PolicyValidationException">The document or the set it would make is not valid; nothing changed.</exception>
    public async Task<ActivationResult> ActivateAsync(string text, string source, string actor, string? reason, bool confirm, CancellationToken cancellationToken)
    {
        var document = PolicyLoader.Parse(text, source);
        await _changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var previous = _current;
            var candidate = previous.With(document);
            var now = clock.GetUtcNow();
            var facts = await lifecycle.LoadFactsAsync(cancellationToken).ConfigureAwait(false);
            var preview = PolicyPreview.Run(candidate, facts, now, options.ConfirmWindowDays, studyLimit: 100);
            if (preview.ExpiresEverything && !confirm)
            {
                LogNeedsConfirmation(logger, document.Name, preview.StudiesExpiring);
                return new ActivationResult(false, true, previous.Version, preview);
            }

            await audit.WriteAsync(new AuditRecord
            {
                At = now,
                Actor = actor,
                Action = "policy-activated",
                Reason = string.IsNullOrWhiteSpace(reason) ? $"policy {document.Name} version {document.Version} activated" : reason,
                Details = JsonSerializer.Serialize(new Dictionary<string, object?>
                {
                    ["name"] = document.Name,
                    ["version"] = document.Version,
                    ["sha256"] = document.Sha256,
                    ["previous"] = previous.Version,
                    ["expiresEverything"] = preview.ExpiresEverything,
                    ["confirmed"] = confirm,
                    ["studiesExpiringIn" + options.ConfirmWindowDays.ToString(System.Globalization.CultureInfo.InvariantCulture) + "Days"] = preview.StudiesExpiring,
                }),
                PolicyVersion = candidate.Version,
            }, cancellationToken).ConfigureAwait(false);
            await policies.ActivateAsync(document, actor, now, cancellationToken).ConfigureAwait(false);
            _current = candidate;
            _stamp = await policies.StampAsync(cancellationToken).ConfigureAwait(false);
            LogActivated(logger, document.Name, document.Version, candidate.Version);
            sweep.Request();
            return new ActivationResult(true, false, candidate.Version, preview);
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>Takes a document out of force (audited first); false when no active document has that name.</summary>
    public async Task<bool> DeactivateAsync(string name, string actor, string? reason, CancellationToken cancellationToken)
    {
        await _changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var previous = _current;
            if (previous.Documents.All(d => d.Name != name))
            {
                return false;
            }

            var candidate = previous.Without(name);
            var now = clock.GetUtcNow();
            await audit.WriteAsync(new AuditRecord
            {
                At = now,
                Actor = actor,
                Action = "policy-deactivated",
                Reason = string.IsNullOrWhiteSpace(reason) ? $"policy {name} deactivated" : reason,
                Details = JsonSerializer.Serialize(new Dictionary<string, object?> { ["name"] = name, ["previous"] = previous.Version }),
                PolicyVersion = candidate.Version,
            }, cancellationToken).ConfigureAwait(false);
            await policies.DeactivateAsync(name, actor, now, cancellationToken).ConfigureAwait(false);
            _current = candidate;
            _stamp = await policies.StampAsync(cancellationToken).ConfigureAwait(false);
            sweep.Request();
            return true;
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>At start, when no policy is active: activates each file of <paramref name="folder"/> (a bad file is refused and logged).</summary>
    public async Task<int> BootstrapAsync(string folder, CancellationToken cancellationToken)
    {
        if (_current.Documents.Count > 0 || !Directory.Exists(folder))
        {
            return 0;
        }

        var activated = 0;
        foreach (var file in Directory.EnumerateFiles(folder, "*.yaml").Order(StringComparer.Ordinal))
        {
            try
            {
                var text = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
                var result = await ActivateAsync(text, Path.GetFileName(file), "system:bootstrap", "initial policies from " + Path.GetFileName(file), confirm: false, cancellationToken).ConfigureAwait(false);
                activated += result.Activated ? 1 : 0;
            }
            catch (PolicyValidationException ex)
            {
                LogRefused(logger, Path.GetFileName(file), ex.Message);
            }
        }

        return activated;
    }

    [LoggerMessage(EventId = 3301, Level = LogLevel.Information, Message = "Policies in force: {Version} ({Rules} rules)")]
    private static partial void LogLoaded(ILogger logger, string version, int rules);

    [LoggerMessage(EventId = 3302, Level = LogLevel.Error, Message = "Policy document refused ({Source}); the policies in force stay: {Problems}")]
    private static partial void LogRefused(ILogger logger, string source, string problems);

    [LoggerMessage(EventId = 3303, Level = LogLevel.Warning, Message = "Activation of policy {Name} refused without confirmation: it would expire every unheld study ({Expiring})")]
    private static partial void LogNeedsConfirmation(ILogger logger, string name, int expiring);

    [LoggerMessage(EventId = 3304, Level = LogLevel.Information, Message = "Policy {Name} version {Version} activated; policies in force: {Set}")]
    private static partial void LogActivated(ILogger logger, string name, string version, string set);
}
