namespace Vna.Core;

/// <summary>Reads instances from the hot tier; instances on other tiers need the tiers' content source.</summary>
public sealed class HotInstanceContentSource(IHotStore hotStore) : IInstanceContentSource
{
    public async Task<InstanceContent> OpenAsync(StoredInstance instance, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (instance.Tier != StorageTier.Hot)
        {
            throw new InvalidOperationException($"Instance is on the {instance.Tier} tier, which this server has not configured.");
        }

        var stream = await hotStore.OpenReadAsync(instance.Location, cancellationToken).ConfigureAwait(false);
        return new InstanceContent(stream, stream.CanSeek ? stream.Length : instance.Size, instance.TransferSyntaxUid, hotStore.GetFullPath(instance.Location));
    }
}
