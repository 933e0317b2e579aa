using Vna.Core;

namespace Vna.Dimse.QueryRetrieve.Tests.Dimse;

/// <summary>An instance put in the test archive: its index row and its Part 10 file's bytes.</summary>
public sealed record ArchivedInstance(StoredInstance Stored, byte[] File);
