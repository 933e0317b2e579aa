using Vna.Dicom;

namespace Vna.Index.Postgres.Query;

/// <summary>A return key the index does not hold: returned zero-length (an empty sequence for SQ), as PS3.4 allows.</summary>
/// <param name="Tag">The attribute.</param>
/// <param name="VR">The VR the request gave it.</param>
internal readonly record struct EmptyReturnKey(DicomTag Tag, DicomVR VR);
