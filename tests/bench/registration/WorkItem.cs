using Vna.Core;

namespace Vna.Bench.Registration;

/// <summary>One registration to make: an instance of a study, already "durable on a tier" (no file behind it).</summary>
internal sealed record WorkItem(string StudyInstanceUid, StoredInstance Instance);
