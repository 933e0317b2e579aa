namespace Vna.Core;

public enum CoercionAction
{
    /// <summary>Set the value, replacing what was there.</summary>
    Set = 0,

    /// <summary>Set the value only when the attribute is absent or empty.</summary>
    SetIfMissing = 1,

    /// <summary>Remove the attribute.</summary>
    Remove = 2,
}
