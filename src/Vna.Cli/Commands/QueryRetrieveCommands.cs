using System.CommandLine;
using System.Globalization;
using System.Text;
using Vna.Cli.QueryRetrieve;
using Vna.Dicom;
using Vna.Dicom.Network;

namespace Vna.Cli.Commands;

/// <summary>
/// The query/retrieve SCU commands: <c>vna find</c> (C-FIND, one DICOM JSON object per match and line),
/// <c>vna move</c> (C-MOVE to a destination the archive knows), <c>vna get</c> (C-GET into a folder) and
/// <c>vna commit</c> (storage commitment of files, waiting for the report on the same association). Exit codes:
/// 0 success, 3 completed with failures (sub-operations failed, instances not committed), 2 refused or failed,
/// 1 the archive could not be reached.
/// </summary>
internal static class QueryRetrieveCommands
{
    public const int Refused = 2;
    public const int WithFailures = 3;

    private const string PatientRootFind = "1.2.840.10008.5.1.4.1.2.1.1";
    private const string StudyRootFind = "1.2.840.10008.5.1.4.1.2.2.1";
    private const string PatientRootMove = "1.2.840.10008.5.1.4.1.2.1.2";
    private const string StudyRootMove = "1.2.840.10008.5.1.4.1.2.2.2";
    private const string PatientRootGet = "1.2.840.10008.5.1.4.1.2.1.3";
    private const string StudyRootGet = "1.2.840.10008.5.1.4.1.2.2.3";
    private const string Commitment = "1.2.840.10008.1.20.1";
    private const string CommitmentInstance = "1.2.840.10008.1.20.1.1";

    /// <summary>The storage SOP classes <c>vna get</c> offers to receive by default (more with --sop-class).</summary>
    private static readonly string[] s_commonStorage =
    [
        "1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.5.1.4.1.1.2.1", "1.2.840.10008.5.1.4.1.1.4", "1.2.840.10008.5.1.4.1.1.4.1",
        "1.2.840.10008.5.1.4.1.1.1", "1.2.840.10008.5.1.4.1.1.1.1", "1.2.840.10008.5.1.4.1.1.1.2", "1.2.840.10008.5.1.4.1.1.6.1",
        "1.2.840.10008.5.1.4.1.1.3.1", "1.2.840.10008.5.1.4.1.1.7", "1.2.840.10008.5.1.4.1.1.12.1", "1.2.840.10008.5.1.4.1.1.20",
        "1.2.840.10008.5.1.4.1.1.128", "1.2.840.10008.5.1.4.1.1.130", "1.2.840.10008.5.1.4.1.1.481.1", "1.2.840.10008.5.1.4.1.1.88.11",
        "1.2.840.10008.5.1.4.1.1.88.22", "1.2.840.10008.5.1.4.1.1.104.1", "1.2.840.10008.5.1.4.1.1.66.4", "1.2.840.10008.5.1.4.1.1.77.1.6",
    ];

    public static Command Find(CliConsole console)
    {
        var scu = new ScuSettings();
        var (level, keys, patientRoot, characterSet) = QueryOptions();
        var command = new Command("find", "C-FIND: query the archive; prints one DICOM JSON object per match.") { level, keys, patientRoot, characterSet };
        scu.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var sopClass = parse.GetValue(patientRoot) ? PatientRootFind : StudyRootFind;
            var identifier = QueryKeys.Build(parse.GetValue(level)!, parse.GetValue(keys) ?? [], parse.GetValue(characterSet));
            await using var association = await scu.ConnectAsync(parse, [new PresentationContext(1, sopClass, TransferSyntaxes.Uncompressed)], [], null, ct).ConfigureAwait(false);
            var request = new DimseCommand(DimseCommandField.CFindRequest) { AffectedSopClassUid = sopClass, Priority = 0 };
            ushort status = 0;
            await foreach (var response in association.RequestAsync(1, request, DimseOutgoingData.FromDataset(identifier), ct).ConfigureAwait(false))
            {
                status = response.Command.Status;
                if (DimseStatus.IsPending(status) && await response.ReadDatasetAsync(ct).ConfigureAwait(false) is { } match)
                {
                    await console.Output.WriteAsync(Encoding.UTF8.GetBytes(DicomJson.Serialize(match) + "\n"), ct).ConfigureAwait(false);
                }
                else if (!DimseStatus.IsPending(status) && status != DimseStatus.Success)
                {
                    await console.Error.WriteLineAsync($"vna find: {ScuSettings.Hex(status)} {response.Command.ErrorComment}").ConfigureAwait(false);
                }
            }

            await association.ReleaseAsync(ct).ConfigureAwait(false);
            return status == DimseStatus.Success ? 0 : Refused;
        });
        return command;
    }

    public static Command Move(CliConsole console)
    {
        var scu = new ScuSettings();
        var (level, keys, patientRoot, characterSet) = QueryOptions();
        var destination = new Option<string>("--dest", "-d") { Description = "The move destination's AE title (configured for your department in the archive).", Required = true };
        var command = new Command("move", "C-MOVE: have the archive send the selected instances to a destination.") { level, keys, patientRoot, characterSet, destination };
        scu.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var sopClass = parse.GetValue(patientRoot) ? PatientRootMove : StudyRootMove;
            var identifier = QueryKeys.Build(parse.GetValue(level)!, parse.GetValue(keys) ?? [], parse.GetValue(characterSet));
            await using var association = await scu.ConnectAsync(parse, [new PresentationContext(1, sopClass, TransferSyntaxes.Uncompressed)], [], null, ct).ConfigureAwait(false);
            var request = new DimseCommand(DimseCommandField.CMoveRequest) { AffectedSopClassUid = sopClass, Priority = 0, MoveDestination = parse.GetValue(destination) };
            var code = await RunRetrieveAsync(console, "vna move", association.RequestAsync(1, request, DimseOutgoingData.FromDataset(identifier), ct), ct).ConfigureAwait(false);
            await association.ReleaseAsync(ct).ConfigureAwait(false);
            return code;
        });
        return command;
    }

    public static Command Get(CliConsole console)
    {
        var scu = new ScuSettings();
        var (level, keys, patientRoot, characterSet) = QueryOptions();
        var output = new Option<string>("--out", "-o") { Description = "The folder the objects are written to (<SOP Instance UID>.dcm).", DefaultValueFactory = _ => "." };
        var sopClasses = new Option<string[]>("--sop-class") { Description = "Storage SOP classes to receive besides the common ones.", AllowMultipleArgumentsPerToken = true };
        var command = new Command("get", "C-GET: retrieve the selected instances on this association into a folder.") { level, keys, patientRoot, characterSet, output, sopClasses };
        scu.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var sopClass = parse.GetValue(patientRoot) ? PatientRootGet : StudyRootGet;
            var identifier = QueryKeys.Build(parse.GetValue(level)!, parse.GetValue(keys) ?? [], parse.GetValue(characterSet));
            var folder = Directory.CreateDirectory(parse.GetValue(output)!).FullName;
            var storage = s_commonStorage.Concat(parse.GetValue(sopClasses) ?? []).Distinct(StringComparer.Ordinal).Take(120).ToArray();
            var contexts = new List<PresentationContext> { new(1, sopClass, TransferSyntaxes.Uncompressed) };
            contexts.AddRange(storage.Select((s, i) => new PresentationContext((byte)((i * 2) + 3), s, [.. TransferSyntaxes.Uncompressed, DicomTransferSyntax.ExplicitVRBigEndian.Uid])));
            var writer = new ReceivedObjectWriter(folder);
            await using var association = await scu.ConnectAsync(
                parse, contexts, [.. storage.Select(s => new RoleSelection(s, ScuRole: false, ScpRole: true))], new DimseServiceRegistry(writer), ct).ConfigureAwait(false);
            var request = new DimseCommand(DimseCommandField.CGetRequest) { AffectedSopClassUid = sopClass, Priority = 0 };
            var code = await RunRetrieveAsync(console, "vna get", association.RequestAsync(1, request, DimseOutgoingData.FromDataset(identifier), ct), ct).ConfigureAwait(false);
            await association.ReleaseAsync(ct).ConfigureAwait(false);
            await console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{writer.Received} objects written to {folder}")).ConfigureAwait(false);
            return code;
        });
        return command;
    }

    public static Command Commit(CliConsole console)
    {
        var scu = new ScuSettings();
        var files = new Argument<string[]>("files") { Description = "Part 10 files whose instances the archive should commit to keeping." };
        var wait = new Option<int>("--wait") { Description = "Seconds to wait for the report.", DefaultValueFactory = _ => 60 };
        var command = new Command("commit", "Storage commitment: ask the archive whether it keeps these instances; waits for the report on the same association.") { files, wait };
        scu.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var information = new DicomDataset();
            information.AddOrUpdate(DicomTag.TransactionUID, DicomVR.UI, DicomUid.Generate());
            var sequence = new DicomSequence(DicomTag.ReferencedSOPSequence);
            information.AddOrUpdate(sequence);
            foreach (var path in parse.GetValue(files) ?? [])
            {
                using var file = await DicomReader.ReadFileAsync(path, null, ct).ConfigureAwait(false);
                var item = new DicomDataset();
                item.AddOrUpdate(DicomTag.ReferencedSOPClassUID, DicomVR.UI, file.Dataset.GetString(DicomTag.SOPClassUID) ?? string.Empty);
                item.AddOrUpdate(DicomTag.ReferencedSOPInstanceUID, DicomVR.UI, file.Dataset.GetString(DicomTag.SOPInstanceUID) ?? string.Empty);
                sequence.Add(item);
            }

            var report = new CommitmentReportReceiver();
            await using var association = await scu.ConnectAsync(parse, [new PresentationContext(1, Commitment, TransferSyntaxes.Uncompressed)], [], new DimseServiceRegistry(report), ct).ConfigureAwait(false);
            var action = new DimseCommand(DimseCommandField.NActionRequest) { RequestedSopClassUid = Commitment, RequestedSopInstanceUid = CommitmentInstance, ActionTypeId = 1 };
            var response = await association.SendRequestAsync(1, action, DimseOutgoingData.FromDataset(information), ct).ConfigureAwait(false);
            if (response.Command.Status != DimseStatus.Success)
            {
                await console.Error.WriteLineAsync($"vna commit: refused {ScuSettings.Hex(response.Command.Status)} {response.Command.ErrorComment}").ConfigureAwait(false);
                return Refused;
            }

            var (committed, failed) = await report.Report.WaitAsync(TimeSpan.FromSeconds(parse.GetValue(wait)), ct).ConfigureAwait(false);
            await association.ReleaseAsync(ct).ConfigureAwait(false);
            var text = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"committed {committed.Count}, failed {failed.Count}\n"));
            foreach (var (sop, reason) in failed)
            {
                text.Append(CultureInfo.InvariantCulture, $"failed: {sop} {ScuSettings.Hex(reason)}\n");
            }

            await console.Output.WriteAsync(Encoding.UTF8.GetBytes(text.ToString()), ct).ConfigureAwait(false);
            return failed.Count == 0 ? 0 : WithFailures;
        });
        return command;
    }

    private static (Option<string> Level, Option<string[]> Keys, Option<bool> PatientRoot, Option<string?> CharacterSet) QueryOptions() =>
    (
        new Option<string>("--level", "-L") { Description = "PATIENT, STUDY, SERIES or IMAGE.", DefaultValueFactory = _ => "STUDY" },
        new Option<string[]>("--key", "-k") { Description = "Keyword=value (matching key) or Keyword (return key); repeatable.", AllowMultipleArgumentsPerToken = false },
        new Option<bool>("--patient-root", "-P") { Description = "Patient Root model (default: Study Root)." },
        new Option<string?>("--charset") { Description = "Specific Character Set of the keys, e.g. ISO_IR 192." }
    );

    private static async Task<int> RunRetrieveAsync(CliConsole console, string name, IAsyncEnumerable<DimseMessage> responses, CancellationToken cancellationToken)
    {
        DimseMessage? last = null;
        await foreach (var response in responses.ConfigureAwait(false))
        {
            last = response;
            var c = response.Command;
            var line = string.Create(CultureInfo.InvariantCulture,
                $"{(DimseStatus.IsPending(c.Status) ? "pending" : "final")} {ScuSettings.Hex(c.Status)}: remaining {c.RemainingSubOperations?.ToString(CultureInfo.InvariantCulture) ?? "-"}, completed {c.CompletedSubOperations ?? 0}, failed {c.FailedSubOperations ?? 0}, warning {c.WarningSubOperations ?? 0}");
            await console.Error.WriteLineAsync(line).ConfigureAwait(false);
        }

        if (last is null)
        {
            return Refused;
        }

        var status = last.Command.Status;
        if (status != DimseStatus.Success && await last.ReadDatasetAsync(cancellationToken).ConfigureAwait(false) is { } failed)
        {
            foreach (var uid in failed.GetStrings(DicomTag.FailedSOPInstanceUIDList))
            {
                await console.Error.WriteLineAsync($"{name}: failed {uid}").ConfigureAwait(false);
            }
        }

        if (status != DimseStatus.Success && last.Command.ErrorComment is { Length: > 0 } comment)
        {
            await console.Error.WriteLineAsync($"{name}: {comment}").ConfigureAwait(false);
        }

        return status == DimseStatus.Success ? 0 : (status & 0xF000) == 0xB000 ? WithFailures : Refused;
    }
}
