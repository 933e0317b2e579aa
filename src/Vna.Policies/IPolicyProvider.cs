namespace Vna.Policies;

/// <summary>The policies in force now (the study grains read it on every evaluation; activation swaps it whole).</summary>
public interface IPolicyProvider
{
    PolicySet Current { get; }
}
