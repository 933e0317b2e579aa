using Vna.Dicom;

namespace Vna.Codecs.Transcoding;

/// <summary>A transcoded object ready to write, with the SOP Instance UID it carries and whether a lossy step was taken.</summary>
internal sealed record TranscodedFile(DicomFile File, string SopInstanceUid, bool Lossy);
