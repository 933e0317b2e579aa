using System.Globalization;
using System.Xml;
using Vna.Core;

namespace Vna.Lifecycle;

/// <summary>
/// Renders an audit record as a DICOM audit message (PS3.15 A.5, the RFC 3881 schema as DICOM extends it): the event
/// (DCM codes: 110105 DICOM Study Deleted for purges, 110103 DICOM Instances Accessed for moves, rejections, restores
/// and holds, 110113 Security Alert / 110129 Security Configuration for policy changes), the actor, the audit source and
/// the study as participant object (110180 Study Instance UID).
/// </summary>
public static class DicomAuditMessage
{
    public static string Render(AuditRecord record, string auditSourceId)
    {
        ArgumentNullException.ThrowIfNull(record);
        var (eventCode, eventName, actionCode, typeCode, typeName) = Event(record.Action);
        var outcome = record.Action.EndsWith("-failed", StringComparison.Ordinal) ? "4" : record.Action.EndsWith("-parked", StringComparison.Ordinal) ? "8" : "0";
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var xml = XmlWriter.Create(text, new XmlWriterSettings { OmitXmlDeclaration = true, Indent = false }))
        {
            xml.WriteStartElement("AuditMessage");
            xml.WriteStartElement("EventIdentification");
            xml.WriteAttributeString("EventActionCode", actionCode);
            xml.WriteAttributeString("EventDateTime", record.At.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            xml.WriteAttributeString("EventOutcomeIndicator", outcome);
            Code(xml, "EventID", eventCode, "DCM", eventName);
            if (typeCode is not null)
            {
                Code(xml, "EventTypeCode", typeCode, "DCM", typeName!);
            }

            xml.WriteEndElement();
            xml.WriteStartElement("ActiveParticipant");
            xml.WriteAttributeString("UserID", record.Actor);
            xml.WriteAttributeString("UserIsRequestor", "true");
            xml.WriteEndElement();
            xml.WriteStartElement("AuditSourceIdentification");
            xml.WriteAttributeString("AuditSourceID", auditSourceId);
            xml.WriteEndElement();
            if (record.StudyInstanceUid is { Length: > 0 } study)
            {
                xml.WriteStartElement("ParticipantObjectIdentification");
                xml.WriteAttributeString("ParticipantObjectID", study);
                xml.WriteAttributeString("ParticipantObjectTypeCode", "2");
                xml.WriteAttributeString("ParticipantObjectTypeCodeRole", "3");
                if (actionCode == "D")
                {
                    xml.WriteAttributeString("ParticipantObjectDataLifeCycle", "14"); // permanent erasure
                }

                Code(xml, "ParticipantObjectIDTypeCode", "110180", "DCM", "Study Instance UID");
                Detail(xml, "Action", record.Action);
                Detail(xml, "Reason", record.Reason);
                if (record.PolicyVersion is { } version)
                {
                    Detail(xml, "PolicyVersion", version);
                }

                xml.WriteEndElement();
            }
            else
            {
                xml.WriteStartElement("ParticipantObjectIdentification");
                xml.WriteAttributeString("ParticipantObjectID", record.Action);
                xml.WriteAttributeString("ParticipantObjectTypeCode", "2");
                xml.WriteAttributeString("ParticipantObjectTypeCodeRole", "13"); // security resource
                Code(xml, "ParticipantObjectIDTypeCode", "Policy", "99VNA", "Retention policy");
                Detail(xml, "Reason", record.Reason);
                if (record.PolicyVersion is { } version)
                {
                    Detail(xml, "PolicyVersion", version);
                }

                xml.WriteEndElement();
            }

            xml.WriteEndElement();
        }

        return text.ToString();
    }

    private static (string Code, string Name, string Action, string? TypeCode, string? TypeName) Event(string action) => action switch
    {
        "purge" => ("110105", "DICOM Study Deleted", "D", null, null),
        "policy-activated" or "policy-deactivated" => ("110113", "Security Alert", "E", "110129", "Security Configuration"),
        "hold-placed" or "hold-released" => ("110103", "DICOM Instances Accessed", "U", null, null),
        "duplicate-rejected" => ("110103", "DICOM Instances Accessed", "D", null, null),
        _ => ("110103", "DICOM Instances Accessed", "U", null, null),
    };

    private static void Code(XmlWriter xml, string element, string code, string system, string name)
    {
        xml.WriteStartElement(element);
        xml.WriteAttributeString("csd-code", code);
        xml.WriteAttributeString("codeSystemName", system);
        xml.WriteAttributeString("originalText", name);
        xml.WriteEndElement();
    }

    private static void Detail(XmlWriter xml, string type, string value)
    {
        xml.WriteStartElement("ParticipantObjectDetail");
        xml.WriteAttributeString("type", type);
        xml.WriteAttributeString("value", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(value)));
        xml.WriteEndElement();
    }
}
