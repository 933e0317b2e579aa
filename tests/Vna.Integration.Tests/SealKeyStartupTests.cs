using Vna.Testing;

namespace Vna.Integration.Tests;

/// <summary>
/// The codestream seal's key is read when the server starts: a key file that cannot be used stops it there, naming the file,
/// instead of failing every transcode later; a missing one is made (32 bytes, owner only).
/// </summary>
public sealed class SealKeyStartupTests
{
    [Fact(Timeout = 300_000)]
    public async Task A_seal_key_file_that_cannot_be_used_stops_the_server_at_start_naming_it()
    {
        var ct = TestContext.Current.CancellationToken;
        var admin = await Postgres.RequireAsync();
        using var scratch = new ScratchFolder("it-seal-key");
        await using var database = await TestDatabase.CreateAsync(admin, "vna_it", ct);
        var data = scratch.Sub("data");
        var keyFile = Path.Combine(data, "keys", "codestream-seal.key");
        Directory.CreateDirectory(Path.GetDirectoryName(keyFile)!);
        await File.WriteAllBytesAsync(keyFile, new byte[8], ct);
        var settings = new ServerSettings { Name = "bad-seal-key", Postgres = database.ConnectionString, WorkDirectory = scratch.Path, DataDirectory = data };

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => ServerProcess.StartAsync(settings, ct, TimeSpan.FromSeconds(60)));
        Assert.Contains(keyFile, failure.Message, StringComparison.Ordinal);
        Assert.Contains("has 8 bytes", failure.Message, StringComparison.Ordinal);
        Assert.Contains("delete the file to make a new one", failure.Message, StringComparison.Ordinal);

        // Deleting it, as the message says, lets the server start with a new key.
        File.Delete(keyFile);
        await using var server = await ServerProcess.StartAsync(settings, ct);
        Assert.Equal(32, new FileInfo(keyFile).Length);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        }
    }
}
