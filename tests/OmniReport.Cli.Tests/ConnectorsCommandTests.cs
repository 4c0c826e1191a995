using System.Text;
using OmniReport.Storage;

namespace OmniReport.Cli.Tests;

/// <summary><c>omnireport connectors twilio</c> (SPEC §10): the auth token is stored as the HTTP PUT stores it.</summary>
public sealed class ConnectorsCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("omnireport-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Twilio_stores_the_auth_token_prints_the_callback_url_and_removes_it()
    {
        var db = Path.Combine(_dir, "c.db");
        Assert.Equal(0, (await Run("accounts", "create", "acme corp", "--db", db)).Code);

        var (code, stdout, stderr) = await Run("connectors", "twilio", "--account", "acme corp", "--auth-token", "0123456789abcdef", "--url", "https://or.example.com/", "--db", db);
        Assert.Equal(0, code);
        Assert.Equal("https://or.example.com/connectors/twilio/acme%20corp/taskrouter\n", stdout);
        Assert.DoesNotContain("0123456789abcdef", stdout + stderr, StringComparison.Ordinal);
        Assert.Equal("0123456789abcdef", await SecretAsync(db, "acme corp"));

        Assert.Equal("/connectors/twilio/acme%20corp/taskrouter\n", (await Run("connectors", "twilio", "--account", "acme corp", "--auth-token", "second", "--db", db)).Stdout);
        Assert.Equal("second", await SecretAsync(db, "acme corp"));

        Assert.Equal(0, (await Run("connectors", "twilio", "--account", "acme corp", "--remove", "--db", db)).Code);
        Assert.Null(await SecretAsync(db, "acme corp"));
    }

    [Fact]
    public async Task Twilio_without_a_token_or_with_an_unknown_account_fails()
    {
        var db = Path.Combine(_dir, "c.db");
        Assert.Equal(0, (await Run("accounts", "create", "acme", "--db", db)).Code);
        Assert.Equal(2, (await Run("connectors", "twilio", "--account", "acme", "--db", db)).Code);
        Assert.Equal(2, (await Run("connectors", "zendesk", "--account", "acme", "--auth-token", "x", "--db", db)).Code);
        Assert.Equal(2, (await Run("connectors", "twilio", "--account", "acme", "--auth-token", "x", "--url", "ftp://x", "--db", db)).Code);
        var unknown = await Run("connectors", "twilio", "--account", "nobody", "--auth-token", "x", "--db", db);
        Assert.Equal(1, unknown.Code);
        Assert.Contains("nobody", unknown.Stderr, StringComparison.Ordinal);
    }

    private static async Task<string?> SecretAsync(string db, string account)
    {
        await using var store = await StoreFactory.OpenAsync(db, TimeProvider.System);
        var a = await store.FindAccountAsync(account);
        return await store.GetConnectorSecretAsync(a!.Id, "twilio");
    }

    private static async Task<(int Code, string Stdout, string Stderr)> Run(params string[] args)
    {
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        var code = await CommandLine.RunAsync(args, new Terminal(stdout, stderr) { Variable = _ => null }, TimeProvider.System);
        return (code, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }
}
