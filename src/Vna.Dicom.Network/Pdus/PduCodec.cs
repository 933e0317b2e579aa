using System.Buffers.Binary;
using System.Text;

namespace Vna.Dicom.Network;

/// <summary>
/// Encodes and decodes the PDUs other than P-DATA-TF (PS3.8 9.3) to and from their bodies. Pure functions over bytes: every
/// length read is checked against the bytes that remain before it is used, so a malformed PDU is a
/// <see cref="DicomNetworkException"/>, never an out-of-range read or a large allocation.
/// </summary>
/// <remarks>
/// A PDU is: type (1), reserved (1), length (4, big endian), body. Association PDUs' bodies: protocol version (2), reserved
/// (2), called AE (16), calling AE (16), reserved (32), then items of type (1), reserved (1), length (2, big endian).
/// </remarks>
public static class PduCodec
{
    public const int HeaderLength = 6;

    private const ushort ProtocolVersion = 1;
    private const int FixedAssociateFieldsLength = 68;

    private const byte ApplicationContextItem = 0x10;
    private const byte PresentationContextRqItem = 0x20;
    private const byte PresentationContextAcItem = 0x21;
    private const byte AbstractSyntaxItem = 0x30;
    private const byte TransferSyntaxItem = 0x40;
    private const byte UserInformationItem = 0x50;
    private const byte MaxLengthItem = 0x51;
    private const byte ImplementationClassUidItem = 0x52;
    private const byte AsyncOperationsItem = 0x53;
    private const byte RoleSelectionItem = 0x54;
    private const byte ImplementationVersionItem = 0x55;
    private const byte UserIdentityRqItem = 0x58;
    private const byte UserIdentityAcItem = 0x59;

    /// <summary>A whole A-ASSOCIATE-RQ PDU, header included.</summary>
    public static byte[] EncodeAssociateRequest(AssociateRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var w = new PduBuilder(PduType.AssociateRequest);
        WriteFixedFields(w, request.CalledAeTitle, request.CallingAeTitle);
        w.Item(ApplicationContextItem, request.ApplicationContext);
        foreach (var pc in request.PresentationContexts)
        {
            var start = w.BeginItem(PresentationContextRqItem);
            w.Byte(pc.Id).Byte(0).Byte(0).Byte(0);
            w.Item(AbstractSyntaxItem, pc.AbstractSyntax);
            foreach (var ts in pc.TransferSyntaxes)
            {
                w.Item(TransferSyntaxItem, ts);
            }

            w.EndItem(start);
        }

        var user = w.BeginItem(UserInformationItem);
        WriteCommonUserItems(w, request.MaxPduLength, request.ImplementationClassUid, request.AsyncOperations, request.RoleSelections, request.ImplementationVersionName);
        if (request.UserIdentity is { } identity)
        {
            var item = w.BeginItem(UserIdentityRqItem);
            w.Byte((byte)identity.Type).Byte(identity.PositiveResponseRequested ? (byte)1 : (byte)0);
            var primary = Encoding.UTF8.GetBytes(identity.PrimaryField);
            var secondary = Encoding.UTF8.GetBytes(identity.SecondaryField ?? string.Empty);
            w.UInt16((ushort)primary.Length).Bytes(primary).UInt16((ushort)secondary.Length).Bytes(secondary);
            w.EndItem(item);
        }

        w.EndItem(user);
        return w.ToPdu();
    }

    /// <summary>A whole A-ASSOCIATE-AC PDU, header included.</summary>
    public static byte[] EncodeAssociateAccept(AssociateAccept accept)
    {
        ArgumentNullException.ThrowIfNull(accept);
        var w = new PduBuilder(PduType.AssociateAccept);
        WriteFixedFields(w, accept.CalledAeTitle, accept.CallingAeTitle);
        w.Item(ApplicationContextItem, accept.ApplicationContext);
        foreach (var pc in accept.PresentationContexts)
        {
            var start = w.BeginItem(PresentationContextAcItem);
            w.Byte(pc.Id).Byte(0).Byte((byte)pc.Result).Byte(0);

            // PS3.8 9.3.3.2: the transfer syntax sub-item is present but not significant when the context is rejected.
            w.Item(TransferSyntaxItem, pc.IsAccepted ? pc.TransferSyntax! : string.Empty);
            w.EndItem(start);
        }

        var user = w.BeginItem(UserInformationItem);
        WriteCommonUserItems(w, accept.MaxPduLength, accept.ImplementationClassUid, accept.AsyncOperations, accept.RoleSelections, accept.ImplementationVersionName);
        if (accept.UserIdentityResponse is { } response)
        {
            var item = w.BeginItem(UserIdentityAcItem);
            w.UInt16((ushort)response.Length).Bytes(response);
            w.EndItem(item);
        }

        w.EndItem(user);
        return w.ToPdu();
    }

    public static byte[] EncodeAssociateReject(AssociateReject reject)
    {
        ArgumentNullException.ThrowIfNull(reject);
        return new PduBuilder(PduType.AssociateReject).Byte(0).Byte((byte)reject.Result).Byte((byte)reject.Source).Byte(reject.Reason).ToPdu();
    }

    public static byte[] EncodeReleaseRequest() => new PduBuilder(PduType.ReleaseRequest).UInt32(0).ToPdu();

    public static byte[] EncodeReleaseResponse() => new PduBuilder(PduType.ReleaseResponse).UInt32(0).ToPdu();

    public static byte[] EncodeAbort(Abort abort)
    {
        ArgumentNullException.ThrowIfNull(abort);
        return new PduBuilder(PduType.Abort).Byte(0).Byte(0).Byte((byte)abort.Source).Byte((byte)abort.Reason).ToPdu();
    }

    /// <summary>Writes a PDU header into <paramref name="destination"/> (6 bytes).</summary>
    public static void WriteHeader(Span<byte> destination, PduType type, uint length)
    {
        destination[0] = (byte)type;
        destination[1] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(destination[2..], length);
    }

    public static AssociateRequest DecodeAssociateRequest(ReadOnlySpan<byte> body)
    {
        var r = new PduSpanReader(body);
        var (called, calling, version) = ReadFixedFields(ref r, isRequest: true);
        string? applicationContext = null;
        var contexts = new List<PresentationContext>();
        UserItems user = default;
        while (!r.End)
        {
            var type = r.Item(out var item);
            switch (type)
            {
                case ApplicationContextItem:
                    applicationContext = Ascii(item);
                    break;
                case PresentationContextRqItem:
                    contexts.Add(ReadProposedContext(item));
                    break;
                case UserInformationItem:
                    user = ReadUserItems(item, isRequest: true);
                    break;
                default:
                    throw Invalid($"unknown item type 0x{type:X2} in an A-ASSOCIATE-RQ", AbortReason.UnrecognizedPduParameter);
            }
        }

        return new AssociateRequest
        {
            ProtocolVersion = version,
            CalledAeTitle = called,
            CallingAeTitle = calling,
            ApplicationContext = applicationContext ?? throw Invalid("an A-ASSOCIATE-RQ without an application context", AbortReason.InvalidPduParameterValue),
            PresentationContexts = contexts,
            MaxPduLength = user.MaxLength,
            ImplementationClassUid = user.ImplementationClassUid ?? string.Empty,
            ImplementationVersionName = user.ImplementationVersionName,
            AsyncOperations = user.AsyncOperations,
            RoleSelections = user.Roles ?? [],
            UserIdentity = user.Identity,
        };
    }

    public static AssociateAccept DecodeAssociateAccept(ReadOnlySpan<byte> body)
    {
        var r = new PduSpanReader(body);
        var (called, calling, _) = ReadFixedFields(ref r, isRequest: false);
        string? applicationContext = null;
        var contexts = new List<PresentationContextAnswer>();
        UserItems user = default;
        while (!r.End)
        {
            var type = r.Item(out var item);
            switch (type)
            {
                case ApplicationContextItem:
                    applicationContext = Ascii(item);
                    break;
                case PresentationContextAcItem:
                    contexts.Add(ReadAnsweredContext(item));
                    break;
                case UserInformationItem:
                    user = ReadUserItems(item, isRequest: false);
                    break;
                default:
                    throw Invalid($"unknown item type 0x{type:X2} in an A-ASSOCIATE-AC", AbortReason.UnrecognizedPduParameter);
            }
        }

        return new AssociateAccept
        {
            CalledAeTitle = called,
            CallingAeTitle = calling,
            ApplicationContext = applicationContext ?? AssociateRequest.DicomApplicationContext,
            PresentationContexts = contexts,
            MaxPduLength = user.MaxLength,
            ImplementationClassUid = user.ImplementationClassUid ?? string.Empty,
            ImplementationVersionName = user.ImplementationVersionName,
            AsyncOperations = user.AsyncOperations,
            RoleSelections = user.Roles ?? [],
            UserIdentityResponse = user.IdentityResponse,
        };
    }

    public static AssociateReject DecodeAssociateReject(ReadOnlySpan<byte> body)
    {
        if (body.Length < 4)
        {
            throw Invalid("a short A-ASSOCIATE-RJ", AbortReason.InvalidPduParameterValue);
        }

        return new AssociateReject((AssociateRejectResult)body[1], (AssociateRejectSource)body[2], body[3]);
    }

    public static Abort DecodeAbort(ReadOnlySpan<byte> body)
    {
        if (body.Length < 4)
        {
            throw Invalid("a short A-ABORT", AbortReason.InvalidPduParameterValue);
        }

        return new Abort((AbortSource)body[2], (AbortReason)body[3]);
    }

    /// <summary>Pads or cuts an AE title to the 16 characters of the fixed field (leading and trailing spaces are not significant).</summary>
    internal static string NormalizeAeTitle(string aeTitle) => aeTitle.Trim();

    private static void WriteFixedFields(PduBuilder w, string called, string calling)
    {
        w.UInt16(ProtocolVersion).UInt16(0);
        w.AeTitle(called).AeTitle(calling);
        w.Zeros(32);
    }

    private static void WriteCommonUserItems(
        PduBuilder w, uint maxLength, string implementationClassUid, AsyncOperationsWindow? async, IReadOnlyList<RoleSelection> roles, string? versionName)
    {
        var max = w.BeginItem(MaxLengthItem);
        w.UInt32(maxLength);
        w.EndItem(max);
        w.Item(ImplementationClassUidItem, implementationClassUid);
        if (async is not null)
        {
            var item = w.BeginItem(AsyncOperationsItem);
            w.UInt16(async.MaxInvoked).UInt16(async.MaxPerformed);
            w.EndItem(item);
        }

        foreach (var role in roles)
        {
            var item = w.BeginItem(RoleSelectionItem);
            var uid = Encoding.ASCII.GetBytes(role.SopClassUid);
            w.UInt16((ushort)uid.Length).Bytes(uid).Byte(role.ScuRole ? (byte)1 : (byte)0).Byte(role.ScpRole ? (byte)1 : (byte)0);
            w.EndItem(item);
        }

        if (!string.IsNullOrEmpty(versionName))
        {
            w.Item(ImplementationVersionItem, versionName);
        }
    }

    /// <summary>
    /// The fixed fields of an A-ASSOCIATE-RQ/AC. The protocol version is tested for bit 0 only (PS3.8 9.3.2); an AC without it
    /// is invalid, while a request without it is decoded (its <see cref="AssociateRequest.ProtocolVersion"/> tells) and answered
    /// with an A-ASSOCIATE-RJ "protocol version not supported".
    /// </summary>
    private static (string Called, string Calling, ushort Version) ReadFixedFields(ref PduSpanReader r, bool isRequest)
    {
        if (r.Remaining < FixedAssociateFieldsLength)
        {
            throw Invalid("an association PDU shorter than its fixed fields", AbortReason.InvalidPduParameterValue);
        }

        var version = r.UInt16();
        if ((version & ProtocolVersion) == 0 && !isRequest)
        {
            throw Invalid($"protocol version 0x{version:X4} is not supported", AbortReason.InvalidPduParameterValue);
        }

        r.Skip(2);
        var called = NormalizeAeTitle(Ascii(r.Take(16)));
        var calling = NormalizeAeTitle(Ascii(r.Take(16)));
        r.Skip(32);
        return (called, calling, version);
    }

    private static PresentationContext ReadProposedContext(ReadOnlySpan<byte> item)
    {
        var r = new PduSpanReader(item);
        if (r.Remaining < 4)
        {
            throw Invalid("a short presentation context item", AbortReason.InvalidPduParameterValue);
        }

        var id = r.Byte();
        r.Skip(3);
        string? abstractSyntax = null;
        var syntaxes = new List<string>();
        while (!r.End)
        {
            var type = r.Item(out var sub);
            switch (type)
            {
                case AbstractSyntaxItem:
                    abstractSyntax = Ascii(sub);
                    break;
                case TransferSyntaxItem:
                    syntaxes.Add(Ascii(sub));
                    break;
                default:
                    throw Invalid($"unknown sub-item 0x{type:X2} in a presentation context", AbortReason.UnrecognizedPduParameter);
            }
        }

        return new PresentationContext(id, abstractSyntax ?? string.Empty, syntaxes);
    }

    private static PresentationContextAnswer ReadAnsweredContext(ReadOnlySpan<byte> item)
    {
        var r = new PduSpanReader(item);
        if (r.Remaining < 4)
        {
            throw Invalid("a short presentation context item", AbortReason.InvalidPduParameterValue);
        }

        var id = r.Byte();
        r.Skip(1);
        var result = (PresentationContextResult)r.Byte();
        r.Skip(1);
        string? syntax = null;
        while (!r.End)
        {
            var type = r.Item(out var sub);
            if (type == TransferSyntaxItem)
            {
                syntax = Ascii(sub);
            }
        }

        return new PresentationContextAnswer(id, result, result == PresentationContextResult.Acceptance && !string.IsNullOrEmpty(syntax) ? syntax : null);
    }

    private static UserItems ReadUserItems(ReadOnlySpan<byte> item, bool isRequest)
    {
        var r = new PduSpanReader(item);
        var user = default(UserItems);
        while (!r.End)
        {
            var type = r.Item(out var sub);
            var s = new PduSpanReader(sub);
            switch (type)
            {
                case MaxLengthItem:
                    user.MaxLength = s.Remaining >= 4 ? s.UInt32() : throw Invalid("a short maximum length item", AbortReason.InvalidPduParameterValue);
                    break;
                case ImplementationClassUidItem:
                    user.ImplementationClassUid = Ascii(sub);
                    break;
                case ImplementationVersionItem:
                    user.ImplementationVersionName = Ascii(sub);
                    break;
                case AsyncOperationsItem:
                    user.AsyncOperations = s.Remaining >= 4
                        ? new AsyncOperationsWindow(s.UInt16(), s.UInt16())
                        : throw Invalid("a short asynchronous operations window item", AbortReason.InvalidPduParameterValue);
                    break;
                case RoleSelectionItem:
                    {
                        var uidLength = s.UInt16();
                        var uid = Ascii(s.Take(uidLength));
                        if (s.Remaining < 2)
                        {
                            throw Invalid("a short role selection item", AbortReason.InvalidPduParameterValue);
                        }

                        (user.Roles ??= []).Add(new RoleSelection(uid, s.Byte() == 1, s.Byte() == 1));
                        break;
                    }

                case UserIdentityRqItem when isRequest:
                    {
                        if (s.Remaining < 2)
                        {
                            throw Invalid("a short user identity item", AbortReason.InvalidPduParameterValue);
                        }

                        var kind = (UserIdentityType)s.Byte();
                        var positive = s.Byte() == 1;
                        var primary = Encoding.UTF8.GetString(s.Take(s.UInt16()));
                        var secondary = s.Remaining >= 2 ? Encoding.UTF8.GetString(s.Take(s.UInt16())) : string.Empty;
                        user.Identity = new UserIdentity(kind, primary, secondary.Length == 0 ? null : secondary, positive);
                        break;
                    }

                case UserIdentityAcItem when !isRequest:
                    user.IdentityResponse = s.Take(s.UInt16()).ToArray();
                    break;
                default:
                    // Extended negotiation and other optional sub-items: not used, ignored (PS3.7 D.3.3: an acceptor may ignore them).
                    break;
            }
        }

        return user;
    }

    private static string Ascii(ReadOnlySpan<byte> bytes) => Encoding.ASCII.GetString(bytes).TrimEnd('\0', ' ').TrimStart(' ');

    private static DicomNetworkException Invalid(string what, AbortReason reason) => new($"Malformed PDU: {what}.", reason);

    private struct UserItems
    {
        public uint MaxLength;
        public string? ImplementationClassUid;
        public string? ImplementationVersionName;
        public AsyncOperationsWindow? AsyncOperations;
        public List<RoleSelection>? Roles;
        public UserIdentity? Identity;
        public byte[]? IdentityResponse;
    }
}
