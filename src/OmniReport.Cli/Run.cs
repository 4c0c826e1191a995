using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using OmniReport.Cli.Settings;
using OmniReport.Storage;

namespace OmniReport.Cli;

/// <summary>What a command's handler gets: its parsed options, the settings, the terminal, the clock and the store.</summary>
internal sealed class Run(ParseResult parse, Terminal console, TimeProvider time)
{
    private Configuration? _settings;

    /// <summary>The command's name as the user typed it (<c>tokens</c> for <c>tokens create</c>).</summary>
    public string Command { get; } = NameOf(parse);

    public Terminal Console => console;

    public TimeProvider Time => time;

    /// <summary>The settings: option, environment, config file, default.</summary>
    public Configuration Settings => _settings ??= Configuration.Load(parse, console);

    public T? Get<T>(Option<T> option) => parse.GetValue(option);

    public T Get<T>(Argument<T> argument) => parse.GetRequiredValue(argument);

    /// <summary>True when the option was given on the command line.</summary>
    public bool Given(Option option) => parse.GetResult(option) is { Implicit: false };

    /// <summary>
    /// Opens (and migrates) the store of <see cref="Setting.Db"/>. A SQLite file that does not exist is created only
    /// when <paramref name="create"/>: a mistyped path must not turn into an empty database.
    /// </summary>
    public async Task<IStore> OpenStoreAsync(bool create)
    {
        var db = Settings.Text(Setting.Db);
        var file = string.IsNullOrEmpty(db) ? StoreFactory.DefaultSqliteFile : db;
        if (!create && !StoreFactory.IsPostgres(db) && !File.Exists(Path.Combine(console.WorkingDirectory ?? "", file)))
        {
            throw new CommandFailedException($"no database at {file} (check --db; omnireport accounts create NAME --db {file} creates one)");
        }

        try
        {
            return await StoreFactory.OpenAsync(db, time).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not UsageException)
        {
            throw new CommandFailedException($"cannot open the store: {ex.Message}");
        }
    }

    /// <summary>The account named <paramref name="name"/>, or a failure that says how to create it.</summary>
    public async Task<Account> AccountAsync(IStore store, string name) =>
        await store.FindAccountAsync(name).ConfigureAwait(false)
        ?? throw new CommandFailedException($"no account named \"{name}\" (create it with: omnireport accounts create {name})");

    /// <summary>The top-level command <paramref name="parse"/> chose.</summary>
    public static string NameOf(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var result = parse.CommandResult;
        while (result.Parent is CommandResult { Parent: CommandResult } parent)
        {
            result = parent;
        }

        return result.Command.Name;
    }
}

/// <summary>A command's work: <see cref="CommandLine"/> calls it with the <see cref="Run"/>.</summary>
/// <param name="work">The handler; returns the exit code.</param>
internal sealed class Handler(Func<Run, Task<int>> work) : SynchronousCommandLineAction
{
    public Func<Run, Task<int>> Work { get; } = work;

    // CommandLine awaits Work itself, with the terminal and clock of the run; System.CommandLine never invokes this.
    public override int Invoke(ParseResult parseResult) => throw new NotSupportedException();
}

/// <summary>Declaring commands.</summary>
internal static class CommandExtensions
{
    /// <summary>Makes <paramref name="work"/> the command's handler.</summary>
    public static Command Runs(this Command command, Func<Run, Task<int>> work)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Action = new Handler(work);
        return command;
    }

    /// <summary>Adds the settings' options.</summary>
    public static Command With(this Command command, IEnumerable<Setting> settings)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var s in settings)
        {
            command.Options.Add(s.Option);
        }

        return command;
    }
}
