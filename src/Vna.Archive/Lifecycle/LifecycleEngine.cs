using Vna.Core;
using Vna.Policies;

namespace Vna.Archive.Lifecycle;

/// <summary>The services a study grain's lifecycle engine uses, resolved from the grain's service provider.</summary>
internal sealed record LifecycleEngine(
    IPolicyProvider Policies,
    ILifecycleStore Store,
    LifecycleCoordinator Coordinator,
    LifecycleOptions Options,
    IAuditSink Audit,
    TimeProvider Clock);
