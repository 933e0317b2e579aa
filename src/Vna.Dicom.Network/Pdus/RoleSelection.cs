namespace Vna.Dicom.Network;

/// <summary>
/// SCP/SCU role selection for one SOP class (PS3.7 D.3.3.4). In a request: the roles the requestor proposes for itself; in
/// an accept: the roles the acceptor agrees the requestor may take. C-GET needs the requestor to be the Storage SCP.
/// </summary>
public sealed record RoleSelection(string SopClassUid, bool ScuRole, bool ScpRole);
