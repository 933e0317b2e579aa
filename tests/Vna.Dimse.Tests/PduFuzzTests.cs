using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Vna.Dicom.Network;

namespace Vna.Dimse.Tests;

/// <summary>
/// Thousands of mutated conversations (deterministic seed) sent to the running archive: valid PDU sequences (echo, a small
/// C-STORE, release) with bits flipped, bytes overwritten, PDU and PDV length fields replaced by small, large and huge
/// values, bytes inserted, PDUs repeated or cut short. Each connection must end (the server answers and closes, or closes)
/// within a bound after the client stops sending; afterwards the server still serves, its memory stayed bounded (a length
/// field of 4 GiB allocates nothing), no temporary file is left and every indexed instance is whole.
/// </summary>
[Collection(DimseCollection.Name)]
public sealed class PduFuzzTests(DimseServerFixture server)
{
    private const int Seed = 20261128;
    private const int Cases = 5000;
    private const int Parallel = 4;
    private static readonly TimeSpan s_budget = TimeSpan.FromSeconds(50);
    private static readonly TimeSpan s_closeBound = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Mutated_pdus_never_crash_hang_or_exhaust_the_server()
    {
        server.RequireServer();
        var seeds = await SeedConversationsAsync();
        var before = MemoryKiB("VmRSS");
        var random = new Random(Seed);
        var cases = Enumerable.Range(0, Cases).Select(_ => Mutate(seeds[random.Next(seeds.Count)], random)).ToList();

        var clock = Stopwatch.StartNew();
        var hung = new List<string>();
        var sent = 0;
        await System.Threading.Tasks.Parallel.ForEachAsync(
            cases.Select((bytes, i) => (bytes, i)),
            new ParallelOptions { MaxDegreeOfParallelism = Parallel, CancellationToken = Ct },
            async (item, token) =>
            {
                if (clock.Elapsed > s_budget)
                {
                    return;
                }

                Interlocked.Increment(ref sent);
                if (!await RunCaseAsync(item.bytes, token))
                {
                    lock (hung)
                    {
                        hung.Add($"case {item.i}: {Convert.ToHexString(item.bytes.AsSpan(0, Math.Min(64, item.bytes.Length)))}");
                    }
                }
            });

        Assert.False(server.Server.HasExited, "the server exited:\n" + server.Server.LogTail(30));
        Assert.True(hung.Count == 0, $"{hung.Count} connections were not closed within {s_closeBound.TotalSeconds:0} s after the client stopped sending:\n" + string.Join('\n', hung.Take(5)));
        Assert.True(sent >= 1000, $"only {sent} cases ran within {s_budget.TotalSeconds:0} s");
        await server.AssertServingAsync(Ct);
        for (var i = 0; i < 100 && server.TemporaryFiles() > 0; i++)
        {
            await Task.Delay(100, Ct);
        }

        Assert.Equal(0, server.TemporaryFiles());
        await server.AssertIndexIsWholeAsync(Ct);
        var peak = MemoryKiB("VmHWM");
        var after = MemoryKiB("VmRSS");
        Assert.True(peak < before + (512 * 1024), $"the server's peak resident memory reached {peak / 1024} MiB (it was at {before / 1024} MiB before the fuzzing)");
        TestContext.Current.SendDiagnosticMessage(string.Create(
            CultureInfo.InvariantCulture, $"{sent} mutated conversations in {clock.Elapsed.TotalSeconds:0.0} s (seed {Seed}); server RSS {before / 1024} -> {after / 1024} MiB, peak {peak / 1024} MiB"));
    }

    /// <summary>Sends one conversation, stops sending, and waits for the server to close; false when it did not in time.</summary>
    private async Task<bool> RunCaseAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        using var peer = await RawPeer.ConnectAsync(server.Port, cancellationToken);
        try
        {
            await peer.SendAsync(bytes, cancellationToken);
            peer.ShutdownSend();
        }
        catch (SocketException)
        {
            // The server already closed (it aborted on an early PDU): that is an end.
            return true;
        }

        return await peer.DrainAsync(s_closeBound, cancellationToken);
    }

    /// <summary>Valid conversations: echo then release; a C-STORE of a small CT in two data PDVs then release; the request alone.</summary>
    private static async Task<List<byte[]>> SeedConversationsAsync()
    {
        var request = PduCodec.EncodeAssociateRequest(RawPeer.Request("FUZZER"));
        var (sop, dataset) = await RawPeer.CtDatasetAsync(91, Ct);
        var half = dataset.Length / 2 & ~1;
        var echo = Concat(request, RawPeer.PData(1, true, true, RawPeer.EchoCommand()), PduCodec.EncodeReleaseRequest());
        var store = Concat(
            request,
            RawPeer.PData(3, true, true, RawPeer.StoreCommand(sop)),
            RawPeer.PData(3, false, false, dataset.AsSpan(0, half)),
            RawPeer.PData(3, false, true, dataset.AsSpan(half)),
            PduCodec.EncodeReleaseRequest());
        return [echo, store, request, Concat(request, PduCodec.EncodeAbort(new Abort(AbortSource.ServiceUser, AbortReason.NotSpecified)))];
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = new List<byte>(seed);
        var mutations = random.Next(1, 5);
        for (var m = 0; m < mutations && bytes.Count > 0; m++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(8))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 2:
                    // A PDU or PDV length field (at the start of each PDU in the conversation, or anywhere) replaced.
                    var field = random.Next(2) == 0 ? PduStarts(bytes).ElementAt(random.Next(PduStarts(bytes).Count())) + 2 : at;
                    if (field + 4 <= bytes.Count)
                    {
                        uint[] lengths = [0, 1, 5, 6, 0x7FFF_FFFF, 0xFFFF_FFFF, 0x0004_0001, (uint)random.Next()];
                        var value = new byte[4];
                        BinaryPrimitives.WriteUInt32BigEndian(value, lengths[random.Next(lengths.Length)]);
                        for (var i = 0; i < 4; i++)
                        {
                            bytes[field + i] = value[i];
                        }
                    }

                    break;
                case 3:
                    bytes.InsertRange(at, Enumerable.Range(0, random.Next(1, 16)).Select(_ => (byte)random.Next(256)));
                    break;
                case 4:
                    bytes.RemoveRange(at, Math.Min(random.Next(1, 64), bytes.Count - at));
                    break;
                case 5:
                    // Cut short: the rest of the conversation never comes.
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 6:
                    // A PDU type byte replaced (wrong PDU for the state, or an unknown one).
                    bytes[PduStarts(bytes).ElementAt(random.Next(PduStarts(bytes).Count()))] = (byte)random.Next(0, 9);
                    break;
                default:
                    // A run of the conversation repeated (a second A-ASSOCIATE-RQ, a repeated PDV...).
                    var length = Math.Min(random.Next(6, 400), bytes.Count - at);
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
            }
        }

        return [.. bytes];
    }

    /// <summary>Where the PDUs of the (possibly already mutated) conversation start, following the length fields while they fit.</summary>
    private static IEnumerable<int> PduStarts(List<byte> bytes)
    {
        yield return 0;
        long at = 0;
        while (at + 6 <= bytes.Count)
        {
            var i = (int)at;
            at += 6 + (((long)bytes[i + 2] << 24) | ((long)bytes[i + 3] << 16) | ((long)bytes[i + 4] << 8) | bytes[i + 5]);
            if (at + 6 > bytes.Count)
            {
                yield break;
            }

            yield return (int)at;
        }
    }

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    private long MemoryKiB(string field)
    {
        var line = File.ReadLines($"/proc/{server.Server.Pid}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }
}
