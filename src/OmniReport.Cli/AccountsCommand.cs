using OmniReport.Storage;

namespace OmniReport.Cli;

/// <summary><c>omnireport accounts create NAME</c>.</summary>
internal static class AccountsCommand
{
    private const string Help = """
        omnireport accounts create NAME [--db DB]

        Creates an account. Create a token for it with: omnireport tokens create --account NAME

        Options:
        """ + "\n" + StoreOption.Help;

    private static readonly HashSet<string> Valued = [StoreOption.Name];
    private static readonly HashSet<string> Flags = [];

    public static async Task<int> RunAsync(string[] args, Terminal console, TimeProvider time)
    {
        var a = new Arguments("accounts", args, Valued, Flags, console);
        if (a.Flag("help"))
        {
            await console.WriteOutAsync(Help.TrimEnd() + "\n").ConfigureAwait(false);
            return 0;
        }

        if (a.Positional.Count != 2 || a.Positional[0] != "create" || string.IsNullOrWhiteSpace(a.Positional[1]))
        {
            throw new UsageException($"omnireport accounts: expected: accounts create NAME\n\n{Help}");
        }

        var name = a.Positional[1];
        await using var store = await StoreOption.OpenAsync(a, time).ConfigureAwait(false);
        try
        {
            var account = await store.CreateAccountAsync(name).ConfigureAwait(false);
            await console.Error.WriteLineAsync($"created account \"{account.Name}\"").ConfigureAwait(false);
            return 0;
        }
        catch (StoreConflictException ex)
        {
            throw new CommandFailedException($"omnireport accounts: {ex.Message}");
        }
    }
}
