namespace Vna.Dicom.Network;

/// <summary>The asynchronous operations window (PS3.7 D.3.3.3): 0 means unlimited.</summary>
public sealed record AsyncOperationsWindow(ushort MaxInvoked, ushort MaxPerformed);
