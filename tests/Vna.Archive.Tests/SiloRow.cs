using Orleans.Runtime;

namespace Vna.Archive.Tests;

/// <summary>One row of orleans_silo, as the tests read it.</summary>
public sealed record SiloRow(string Address, int Port, int Generation, int Status, string SiloName)
{
    public bool Is(SiloAddress silo) =>
        Address == silo.Endpoint.Address.ToString() && Port == silo.Endpoint.Port && Generation == silo.Generation;
}
