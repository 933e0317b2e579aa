namespace Vna.Core;

/// <summary>
/// An <see cref="IHotWrite"/> whose final name derives from the content (the SHA-256 is part of it), so that a commit of an
/// identical copy lands on the object already there. Tells whether it did: a caller that has to undo the commit (the study's
/// coordinator failed) must then leave the file alone, since it may be the archived copy.
/// </summary>
public interface IContentAddressedHotWrite : IHotWrite
{
    /// <summary>True when, at commit, an object already existed under the final name (an identical copy).</summary>
    bool LandedOnExistingCopy { get; }
}
