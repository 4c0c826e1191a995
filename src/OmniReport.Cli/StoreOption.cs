using OmniReport.Storage;

namespace OmniReport.Cli;

/// <summary>The <c>--db</c> option every command that uses the store takes, read the same way everywhere.</summary>
internal static class StoreOption
{
    public const string Name = "db";

    public const string Help = """
          --db DB                     the store: a SQLite file path (default ./omnireport.db), or a PostgreSQL
                                      connection string (Host=...;Username=...;Database=...); or $OMNIREPORT_DB
        """ + "\n" + Arguments.CommonHelp;

    /// <summary>Opens (and migrates) the store named by <c>--db</c> (or $OMNIREPORT_DB, or the config file).</summary>
    public static async Task<IStore> OpenAsync(Arguments a, TimeProvider time, CancellationToken ct = default)
    {
        try
        {
            return await StoreFactory.OpenAsync(a.Text(Setting.Db), time, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not UsageException)
        {
            throw new CommandFailedException($"omnireport {a.Command}: cannot open the store: {ex.Message}");
        }
    }

    /// <summary>The account named by <paramref name="name"/>, or a failure that says so.</summary>
    public static async Task<Account> AccountAsync(IStore store, string command, string name) =>
        await store.FindAccountAsync(name).ConfigureAwait(false)
        ?? throw new CommandFailedException($"omnireport {command}: no account named \"{name}\" (create it with: omnireport accounts create {name})");
}

/// <summary>A command that could not do its work (exit code 1), with the message for stderr.</summary>
/// <param name="message">What went wrong.</param>
internal sealed class CommandFailedException(string message) : Exception(message);
