using System.Globalization;
using System.Text;
using OmniReport.Storage;

namespace OmniReport.Cli;

/// <summary>
/// <c>omnireport clients create|list|revoke</c>: the OAuth clients Talkdesk clients authenticate as (SPEC §5.5). The
/// secret is printed once, at creation; the store keeps only its hash.
/// </summary>
internal static class ClientsCommand
{
    private const string Help = """
        omnireport clients create --account NAME [--scopes SCOPES] [--db DB]
        omnireport clients list --account NAME [--db DB]
        omnireport clients revoke CLIENT_ID [--db DB]

        OAuth clients for the client-credentials grant (POST /oauth/token), which Talkdesk clients use instead of a
        static token. create prints the client_id and the client_secret on stdout; the secret is shown only
        this once. list shows the account's clients (never their secrets). revoke stops a client: it gets no more
        tokens, and the tokens it has stop working (within the server's token cache time, 30 s by default).

        Options:
          --account NAME    the account
          --scopes SCOPES   comma-separated: events:write, reports:read, admin (default: all three)
        """ + "\n" + StoreOption.Help;

    private static readonly HashSet<string> Valued = ["account", "scopes", StoreOption.Name];
    private static readonly HashSet<string> Flags = [];

    public static async Task<int> RunAsync(string[] args, Terminal console, TimeProvider time)
    {
        var a = new Arguments("clients", args, Valued, Flags, console);
        if (a.Flag("help"))
        {
            await console.WriteOutAsync(Help.TrimEnd() + "\n").ConfigureAwait(false);
            return 0;
        }

        return (a.Positional.Count, a.Positional.FirstOrDefault()) switch
        {
            (1, "create") => await CreateAsync(a, console, time).ConfigureAwait(false),
            (1, "list") => await ListAsync(a, console, time).ConfigureAwait(false),
            (2, "revoke") => await RevokeAsync(a, a.Positional[1], console, time).ConfigureAwait(false),
            _ => throw new UsageException($"omnireport clients: expected: clients create --account NAME, clients list --account NAME or clients revoke CLIENT_ID\n\n{Help}"),
        };
    }

    private static async Task<int> CreateAsync(Arguments a, Terminal console, TimeProvider time)
    {
        var accountName = RequireAccount(a);
        var scopes = Scopes.All;
        if (a["scopes"] is { } text && !Tokens.TryParseScopes(text, out scopes))
        {
            throw new UsageException($"omnireport clients: --scopes must list events:write, reports:read and/or admin, comma separated, not \"{text}\"");
        }

        await using var store = await StoreOption.OpenAsync(a, time).ConfigureAwait(false);
        var account = await StoreOption.AccountAsync(store, "clients", accountName).ConfigureAwait(false);
        var created = await store.CreateOAuthClientAsync(account.Id, scopes).ConfigureAwait(false);
        await console.WriteOutAsync($"client_id: {created.Client.ClientId}\nclient_secret: {created.Secret}\n").ConfigureAwait(false);
        await console.Error.WriteLineAsync(
            $"created OAuth client for account \"{account.Name}\" with scopes {Tokens.Format(scopes)}; keep the secret now: it cannot be shown again. "
            + "Get a token with: POST /oauth/token (grant_type=client_credentials, HTTP Basic client_id:client_secret)").ConfigureAwait(false);
        return 0;
    }

    private static async Task<int> ListAsync(Arguments a, Terminal console, TimeProvider time)
    {
        var accountName = RequireAccount(a);
        await using var store = await StoreOption.OpenAsync(a, time).ConfigureAwait(false);
        var account = await StoreOption.AccountAsync(store, "clients", accountName).ConfigureAwait(false);
        var clients = await store.ListOAuthClientsAsync(account.Id).ConfigureAwait(false);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{"CLIENT_ID",-32}  {"SCOPES",-31}  {"CREATED",-20}  REVOKED\n");
        foreach (var c in clients)
        {
            var revoked = c.RevokedAtMs is { } r ? Utc(r) : "-";
            text.Append(CultureInfo.InvariantCulture, $"{c.ClientId,-32}  {Tokens.Format(c.Scopes),-31}  {Utc(c.CreatedAtMs),-20}  {revoked}\n");
        }

        await console.WriteOutAsync(text.ToString()).ConfigureAwait(false);
        return 0;
    }

    private static async Task<int> RevokeAsync(Arguments a, string clientId, Terminal console, TimeProvider time)
    {
        await using var store = await StoreOption.OpenAsync(a, time).ConfigureAwait(false);
        if (!await store.RevokeOAuthClientAsync(clientId).ConfigureAwait(false))
        {
            throw new CommandFailedException($"omnireport clients: no OAuth client \"{clientId}\" (list them with: omnireport clients list --account NAME)");
        }

        await console.Error.WriteLineAsync($"revoked OAuth client {clientId}: it gets no more tokens, and its tokens stop working").ConfigureAwait(false);
        return 0;
    }

    private static string RequireAccount(Arguments a) =>
        a["account"] ?? throw new UsageException($"omnireport clients: --account NAME is required\n\n{Help}");

    private static string Utc(long ms) =>
        DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
