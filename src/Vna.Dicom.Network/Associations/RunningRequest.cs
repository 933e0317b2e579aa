namespace Vna.Dicom.Network;

/// <summary>A request received and being handled: its cancellation (C-CANCEL, the association's end) and its task.</summary>
internal sealed class RunningRequest(CancellationTokenSource cancellation)
{
    public CancellationToken Token => cancellation.Token;

    public Task Handler { get; set; } = Task.CompletedTask;

    public void Cancel()
    {
        try
        {
            cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
