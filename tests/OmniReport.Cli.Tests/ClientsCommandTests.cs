using System.Text;
using OmniReport.Storage;

namespace OmniReport.Cli.Tests;

/// <summary><c>omnireport clients create|list|revoke</c> (SPEC §5.5) against a real SQLite store.</summary>
public sealed class ClientsCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("omnireport-clients-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private string Db => Path.Combine(_dir, "clients.db");

    [Fact]
    public async Task Create_prints_the_id_and_the_secret_once_and_the_store_keeps_only_its_hash()
    {
        Assert.Equal(0, (await Run("accounts", "create", "acme", "--db", Db)).Code);
        var (code, stdout, stderr) = await Run("clients", "create", "--account", "acme", "--scopes", "reports:read", "--db", Db);
        Assert.Equal(0, code);
        var (id, secret) = ParseCreated(stdout);
        Assert.Contains("cannot be shown again", stderr, StringComparison.Ordinal);

        await using var store = await StoreFactory.OpenAsync(Db, TimeProvider.System);
        var client = await store.FindOAuthClientAsync(id);
        Assert.NotNull(client);
        Assert.Equal(Scopes.ReportsRead, client.Scopes);
        Assert.Equal((await store.FindAccountAsync("acme"))!.Id, client.AccountId);
        Assert.True(OAuthClients.SecretMatches(client, secret));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(_dir, "clients.db*"))
        {
            Assert.False(Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file)).Contains(secret, StringComparison.Ordinal), $"the secret is in {file}");
        }
    }

    [Fact]
    public async Task List_shows_the_accounts_clients_with_scopes_and_revocation_and_revoke_stops_one()
    {
        await Run("accounts", "create", "acme", "--db", Db);
        await Run("accounts", "create", "other", "--db", Db);
        var (first, _) = ParseCreated((await Run("clients", "create", "--account", "acme", "--db", Db)).Stdout);
        var (second, _) = ParseCreated((await Run("clients", "create", "--account", "acme", "--scopes", "events:write", "--db", Db)).Stdout);
        var (foreign, _) = ParseCreated((await Run("clients", "create", "--account", "other", "--db", Db)).Stdout);

        var revoke = await Run("clients", "revoke", first, "--db", Db);
        Assert.Equal(0, revoke.Code);
        Assert.Contains($"revoked OAuth client {first}", revoke.Stderr, StringComparison.Ordinal);

        var (code, stdout, _) = await Run("clients", "list", "--account", "acme", "--db", Db);
        Assert.Equal(0, code);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("CLIENT_ID", lines[0], StringComparison.Ordinal);
        Assert.Matches($"^{first} +events:write,reports:read,admin +\\d{{4}}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ +\\d{{4}}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$", lines[1]);
        Assert.Matches($"^{second} +events:write +\\S+ +-$", lines[2]);
        Assert.DoesNotContain(foreign, stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_arguments_exit_2_and_an_unknown_client_or_account_exits_1()
    {
        await Run("accounts", "create", "acme", "--db", Db);
        Assert.Equal(2, (await Run("clients", "create", "--db", Db)).Code);
        var scopes = await Run("clients", "create", "--account", "acme", "--scopes", "everything", "--db", Db);
        Assert.Equal(2, scopes.Code);
        Assert.Contains("--scopes must list events:write, reports:read and/or admin", scopes.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, (await Run("clients", "revoke", "--db", Db)).Code);
        Assert.Equal(2, (await Run("clients", "rotate", "--db", Db)).Code);

        var unknown = await Run("clients", "revoke", "0123456789abcdef0123456789abcdef", "--db", Db);
        Assert.Equal(1, unknown.Code);
        Assert.Contains("no OAuth client \"0123456789abcdef0123456789abcdef\"", unknown.Stderr, StringComparison.Ordinal);
        var nobody = await Run("clients", "list", "--account", "nobody", "--db", Db);
        Assert.Equal(1, nobody.Code);
        Assert.Contains("no account named \"nobody\"", nobody.Stderr, StringComparison.Ordinal);
    }

    internal static (string Id, string Secret) ParseCreated(string stdout)
    {
        var m = System.Text.RegularExpressions.Regex.Match(stdout, "^client_id: ([0-9a-f]{32})\nclient_secret: (omcs_[A-Za-z0-9_-]{43})\n$");
        Assert.True(m.Success, $"clients create printed: {stdout}");
        return (m.Groups[1].Value, m.Groups[2].Value);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> Run(params string[] args)
    {
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        var code = await CommandLine.RunAsync(args, new Terminal(stdout, stderr) { Variable = _ => null }, TimeProvider.System);
        return (code, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }
}
