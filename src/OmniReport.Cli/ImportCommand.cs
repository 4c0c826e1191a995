using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading.Channels;
using OmniReport.Core.Events;
using OmniReport.Storage;
using Spectre.Console;

namespace OmniReport.Cli;

/// <summary>
/// <c>omnireport import FILE --account NAME</c>: NDJSON events into the store in batches. Reading and
/// parsing run on one thread while the previous batch is being stored on another. Each batch is one
/// transaction: after an interruption the store holds whole batches, and running the same import again
/// gives the same result (what was stored comes back as duplicates).
/// </summary>
internal static class ImportCommand
{
    private const int MaxErrorsShown = 100;

    private const string Help = """
        omnireport import FILE --account NAME [options]

        Imports events (NDJSON, or a JSON array; FILE may be - for stdin) into the account, in batches, with
        a progress bar on stderr. Duplicates (ids the account already has) are ignored and counted; rejected
        events are named by line and field, and the valid ones still count. When stderr is not a terminal,
        one line is written per stored batch instead of the bar ("stored N records: ..."), so a supervisor
        knows what is durable. Re-running an interrupted import gives the same result.

        Options:
          --account NAME    the account (omnireport accounts create NAME)
          --batch-size N    events per transaction (default 50000; or $OMNIREPORT_BATCH_SIZE)
          --strict          exit 1 when any event was rejected
        """ + "\n" + StoreOption.Help;

    private static readonly HashSet<string> Valued = ["account", "batch-size", StoreOption.Name];
    private static readonly HashSet<string> Flags = ["strict"];

    public static async Task<int> RunAsync(string[] args, Terminal console, TimeProvider time)
    {
        var a = new Arguments("import", args, Valued, Flags, console);
        if (a.Flag("help"))
        {
            await console.WriteOutAsync(Help.TrimEnd() + "\n").ConfigureAwait(false);
            return 0;
        }

        if (a.Positional.Count != 1)
        {
            throw new UsageException($"omnireport import: expected one FILE, got {a.Positional.Count}\n\n{Help}");
        }

        var accountName = a["account"] ?? throw new UsageException($"omnireport import: --account NAME is required\n\n{Help}");
        var batchSize = (int)a.Number(Setting.BatchSize, 1, 1_000_000);

        var path = a.Positional[0];
        Stream input;
        try
        {
            input = path == "-" ? Console.OpenStandardInput() : new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException($"omnireport import: cannot read {path}: {ex.Message}");
        }

        await using (input.ConfigureAwait(false))
        {
            await using var store = await StoreOption.OpenAsync(a, time).ConfigureAwait(false);
            var account = await StoreOption.AccountAsync(store, "import", accountName).ConfigureAwait(false);
            var run = new Run(store, account, input, batchSize, console);
            var interactive = console.InteractiveError;
            var clock = Stopwatch.StartNew();
            if (interactive)
            {
                await run.WithProgressBarAsync(path == "-" ? "stdin" : Path.GetFileName(path)).ConfigureAwait(false);
            }
            else
            {
                await run.WithProgressLinesAsync().ConfigureAwait(false);
            }

            var seconds = Math.Max(clock.Elapsed.TotalSeconds, 1e-3);
            foreach (var e in run.Errors)
            {
                await console.Error.WriteLineAsync($"rejected: {e}").ConfigureAwait(false);
            }

            if (run.Rejected > run.Errors.Count)
            {
                await console.Error.WriteLineAsync($"... and {run.Rejected - run.Errors.Count} more rejected events").ConfigureAwait(false);
            }

            var summary = string.Create(CultureInfo.InvariantCulture,
                $"imported {run.Records} records into account \"{account.Name}\" ({store.Kind}): {run.Accepted} accepted, {run.Duplicates} duplicates, {run.Rejected} rejected in {seconds:0.0} s ({run.Records / seconds:0} events/s)\n");
            await console.Out.WriteAsync(Encoding.UTF8.GetBytes(summary)).ConfigureAwait(false);
            await console.Out.FlushAsync().ConfigureAwait(false);
            if (run.Broken is { } broken)
            {
                // Everything before the break is stored; the file itself is faulty, so the command says it failed.
                throw new CommandFailedException($"omnireport import: {path}: {broken}");
            }

            return a.Flag("strict") && run.Rejected > 0 ? 1 : 0;
        }
    }

    private sealed record Batch(List<Event> Events, long RecordsThrough, long BytesThrough);

    private sealed class Run(IStore store, Account account, Stream input, int batchSize, Terminal console)
    {
        public long Records { get; private set; }

        public long Accepted { get; private set; }

        public long Duplicates { get; private set; }

        public long Rejected => Interlocked.Read(ref _rejected);

        public List<string> Errors { get; } = [];

        /// <summary>Where and why a JSON array file breaks off, when it does.</summary>
        public string? Broken { get; private set; }

        private long _rejected;

        public Task WithProgressBarAsync(string name)
        {
            var ansi = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(console.Error),
                Interactive = InteractionSupport.Yes,
            });
            long length = 0;
            try
            {
                length = input.CanSeek ? input.Length : 0;
            }
            catch (NotSupportedException)
            {
            }

            return ansi.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async ctx =>
                {
                    var task = ctx.AddTask($"importing {Markup.Escape(name)}", maxValue: Math.Max(length, 1));
                    task.IsIndeterminate = length == 0;
                    await RunAsync(b =>
                    {
                        task.Value = Math.Min(b.BytesThrough, task.MaxValue);
                        task.Description = string.Create(CultureInfo.InvariantCulture, $"importing {Markup.Escape(name)}: {Records:N0} events");
                        return Task.CompletedTask;
                    }).ConfigureAwait(false);
                    task.Value = task.MaxValue;
                    task.StopTask();
                });
        }

        public Task WithProgressLinesAsync() =>
            RunAsync(async b =>
            {
                await console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"stored {b.RecordsThrough} records: {Accepted} accepted, {Duplicates} duplicates, {Rejected} rejected")).ConfigureAwait(false);
                await console.Error.FlushAsync().ConfigureAwait(false);
            });

        private async Task RunAsync(Func<Batch, Task> committed)
        {
            var channel = System.Threading.Channels.Channel.CreateBounded<Batch>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
            var producer = Task.Run(() => Produce(channel.Writer));
            await foreach (var batch in channel.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                if (batch.Events.Count > 0)
                {
                    var result = await store.IngestAsync(account.Id, batch.Events).ConfigureAwait(false);
                    Accepted += result.AcceptedCount;
                    Duplicates += result.DuplicateCount;
                }

                Records = batch.RecordsThrough;
                await committed(batch).ConfigureAwait(false);
            }

            await producer.ConfigureAwait(false);
        }

        private void Produce(ChannelWriter<Batch> writer)
        {
            try
            {
                var parser = new EventParser();
                var events = new List<Event>(batchSize);
                long records = 0;
                try
                {
                    EventStreamReader.Read(input, (index, line, json) =>
                    {
                        records++;
                        if (parser.TryParse(json, index, out var ev, out var error))
                        {
                            events.Add(ev!);
                        }
                        else
                        {
                            Reject(error!.AtLine(line));
                        }

                        if (events.Count >= batchSize)
                        {
                            writer.WriteAsync(new Batch(events, records, Position())).AsTask().GetAwaiter().GetResult();
                            events = new List<Event>(batchSize);
                        }
                    });
                }
                catch (BrokenArrayException ex)
                {
                    // The events before the break are stored like any others: a broken file costs nothing valid.
                    Broken = $"line {ex.Line}, element {ex.Index}: {ex.Message}; nothing after it was read";
                    Reject(Broken);
                }

                writer.WriteAsync(new Batch(events, records, Position())).AsTask().GetAwaiter().GetResult();
                writer.Complete();
            }
            catch (Exception ex)
            {
                writer.Complete(ex);
            }
        }

        private void Reject(string message)
        {
            if (Interlocked.Increment(ref _rejected) <= MaxErrorsShown)
            {
                lock (Errors)
                {
                    Errors.Add(message);
                }
            }
        }

        private long Position()
        {
            try
            {
                return input.CanSeek ? input.Position : 0;
            }
            catch (NotSupportedException)
            {
                return 0;
            }
        }
    }
}
