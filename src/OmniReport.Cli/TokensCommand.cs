using System.Text;
using OmniReport.Storage;

namespace OmniReport.Cli;

/// <summary><c>omnireport tokens create --account NAME [--scopes a,b]</c>: prints only the token.</summary>
internal static class TokensCommand
{
    private const string Help = """
        omnireport tokens create --account NAME [--scopes SCOPES] [--db DB]

        Creates an API token for the account and prints it (only it) on stdout. The store keeps only its hash:
        it cannot be shown again.

        Options:
          --account NAME    the account
          --scopes SCOPES   comma-separated: events:write, reports:read, admin (default: all three)
        """ + "\n" + StoreOption.Help;

    private static readonly HashSet<string> Valued = ["account", "scopes", StoreOption.Name];
    private static readonly HashSet<string> Flags = [];

    public static async Task<int> RunAsync(string[] args, Terminal console, TimeProvider time)
    {
        var a = new Arguments("tokens", args, Valued, Flags, console);
        if (a.Flag("help"))
        {
            await console.WriteOutAsync(Help.TrimEnd() + "\n").ConfigureAwait(false);
            return 0;
        }

        if (a.Positional.Count != 1 || a.Positional[0] != "create")
        {
            throw new UsageException($"omnireport tokens: expected: tokens create --account NAME\n\n{Help}");
        }

        var accountName = a["account"] ?? throw new UsageException($"omnireport tokens: --account NAME is required\n\n{Help}");
        var scopes = Scopes.All;
        if (a["scopes"] is { } text && !Tokens.TryParseScopes(text, out scopes))
        {
            throw new UsageException($"omnireport tokens: --scopes must list events:write, reports:read and/or admin, comma separated, not \"{text}\"");
        }

        await using var store = await StoreOption.OpenAsync(a, time).ConfigureAwait(false);
        var account = await StoreOption.AccountAsync(store, "tokens", accountName).ConfigureAwait(false);
        var token = await store.CreateTokenAsync(account.Id, scopes).ConfigureAwait(false);
        await console.Out.WriteAsync(Encoding.UTF8.GetBytes(token + "\n")).ConfigureAwait(false);
        await console.Out.FlushAsync().ConfigureAwait(false);
        return 0;
    }
}
