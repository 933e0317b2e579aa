using Vna.Dicom;

namespace Vna.Web.Stow;

/// <summary>
/// One bulk data part of a DICOM JSON STOW-RS request, spooled to <see cref="Path"/>. <see cref="Syntax"/> is null for
/// uncompressed values (application/octet-stream without a compressed transfer-syntax parameter), else the encapsulated
/// transfer syntax the part's media type names; <see cref="Problem"/> says why the part cannot be stored (a media type the
/// archive would have to transform, a transfer syntax that disagrees with its media type), for the data sets that use it.
/// </summary>
internal sealed record StowBulkPart(string Path, long Length, string MediaType, DicomTransferSyntax? Syntax, bool SyntaxFromContent, string? Problem)
{
    public bool IsCompressed => Syntax is not null || Problem is not null;
}
