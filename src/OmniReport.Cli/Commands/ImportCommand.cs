using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using OmniReport.Cli.Settings;
using OmniReport.Core.Events;
using OmniReport.Storage;
using Spectre.Console;

namespace OmniReport.Cli.Commands;

/// <summary>
/// <c>omnireport import FILE --account NAME</c>: NDJSON events into the store in batches (the first ones smaller, so the
/// writer starts early: <c>FirstBatch</c>, doubling up to the batch size). Events are parsed on
/// every core (<see cref="ParallelEventReader"/>) and gathered in file order while the previous batch is being stored. Each batch is one
/// transaction: after an interruption the store holds whole batches, and running the same import again
/// gives the same result (what was stored comes back as duplicates). An import into an account without interactions,
/// or a large one, defers the account's rollups (<see cref="IProjectionStore.DeferRollupsAsync"/>) and builds them once
/// at its end; an interrupted one leaves that build pending, which the next command to open the store does.
/// </summary>
internal static class ImportCommand
{
    private const int MaxErrorsShown = 100;

    private static readonly Argument<string> File = new("FILE") { Description = "events: NDJSON or a JSON array; - for stdin" };
    private static readonly Option<string> Account = Opt.Text("--account", "NAME", "the account (omnireport accounts create NAME)", required: true);
    private static readonly Option<bool> Strict = new("--strict") { Description = "exit 1 when any event was rejected" };

    public static Command Create() => new Command("import", """
        Imports events (NDJSON, or a JSON array; FILE may be - for stdin) into the account, in batches, with
        a progress bar on stderr. Duplicates (ids the account already has) are ignored and counted; rejected
        events are named by line and field, and the valid ones still count. When stderr is not a terminal,
        one line is written per stored batch instead of the bar ("stored N events: ..."), so a supervisor
        knows what is durable. Re-running an interrupted import gives the same result.
        """) { File, Account, Strict, Setting.BatchSize.Option, Setting.ParseThreads.Option, Setting.Db.Option }.Runs(RunAsync);

    private static async Task<int> RunAsync(Run run)
    {
        var batchSize = (int)long.Parse(run.Settings.Text(Setting.BatchSize)!, CultureInfo.InvariantCulture);
        var path = run.Get(File);
        var console = run.Console;
        var input = Input.Open(path);
        await using (input.ConfigureAwait(false))
        {
            await using var store = await run.OpenStoreAsync(create: false).ConfigureAwait(false);
            var account = await run.AccountAsync(store, run.Get(Account)!).ConfigureAwait(false);
            var importRun = new ImportRun(store, account, input, batchSize, DeriveCommand.ParseThreads(run), console);
            var clock = Stopwatch.StartNew();
            if (console.InteractiveError)
            {
                await importRun.WithProgressBarAsync(path == "-" ? "stdin" : Path.GetFileName(path)).ConfigureAwait(false);
            }
            else
            {
                await importRun.WithProgressLinesAsync().ConfigureAwait(false);
            }

            await importRun.BuildRollupsAsync().ConfigureAwait(false);

            var seconds = Math.Max(clock.Elapsed.TotalSeconds, 1e-3);
            foreach (var e in importRun.Errors)
            {
                await console.Error.WriteLineAsync($"rejected: {e}").ConfigureAwait(false);
            }

            if (importRun.Rejected > importRun.Errors.Count)
            {
                await console.Error.WriteLineAsync($"... and {importRun.Rejected - importRun.Errors.Count} more rejected events").ConfigureAwait(false);
            }

            await console.WriteOutAsync(string.Create(CultureInfo.InvariantCulture,
                $"imported {importRun.Records} events into account \"{account.Name}\" ({store.Kind}): {importRun.Accepted} accepted, {importRun.Duplicates} duplicates, {importRun.Rejected} rejected in {seconds:0.0} s ({importRun.Records / seconds:0} events/s)\n")).ConfigureAwait(false);
            if (importRun.Broken is { } broken)
            {
                // Everything before the break is stored; the file itself is faulty, so the command says it failed.
                throw new CommandFailedException($"{path}: {broken}");
            }

            return run.Get(Strict) && importRun.Rejected > 0 ? 1 : 0;
        }
    }

    private sealed record Batch(List<Event> Events, long RecordsThrough, long BytesThrough);

    private sealed class ImportRun(IStore store, Account account, Stream input, int batchSize, int threads, Terminal console)
    {
        /// <summary>Events an import stores with the rollups kept before it considers deferring them.</summary>
        private const long DeferAfter = 20_000;

        /// <summary>
        /// The size of the first batch, when the batch size is larger; each next one is twice the last, up to the batch
        /// size. The writer starts while a whole first batch would still be parsed and planned.
        /// </summary>
        private const int FirstBatch = 5_000;

        /// <summary>
        /// When to defer the rollups: at once when the account had no interaction when this import began (the build at
        /// the end then reads only this import's records, which costs less than keeping the rollups batch by batch:
        /// issue #11 measured those batches' rollups at more than the whole build), else once this import has accepted
        /// more than <see cref="DeferAfter"/> events and more than five per interaction the account had. The build at
        /// the end reads every record of the account, so a small import into a large account keeps writing the
        /// rollups as it goes.
        /// </summary>
        private long _deferAt = -1;

        private bool _deferred;

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
                    $"stored {b.RecordsThrough} events: {Accepted} accepted, {Duplicates} duplicates, {Rejected} rejected")).ConfigureAwait(false);
                await console.Error.FlushAsync().ConfigureAwait(false);
            });

        /// <summary>Builds the rollups this import deferred.</summary>
        public async Task BuildRollupsAsync()
        {
            if (_deferred)
            {
                await store.BuildRollupsAsync(account.Id).ConfigureAwait(false);
            }
        }

        private async Task RunAsync(Func<Batch, Task> committed)
        {
            var before = (await store.RebuildProgressAsync(account.Id).ConfigureAwait(false)).Total;
            _deferAt = before == 0 ? 0 : Math.Max(DeferAfter, 5 * before);
            if (_deferAt == 0)
            {
                await store.DeferRollupsAsync(account.Id).ConfigureAwait(false);
                _deferred = true;
            }

            var channel = System.Threading.Channels.Channel.CreateBounded<Batch>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
            var producer = Task.Run(() => Produce(channel.Writer));

            // A store that keeps call order takes the next batch while it stores this one, and plans it beside its
            // writer (SQLite's pipeline): the batches still get their arrival sequences in file order.
            var ahead = store.IngestsInCallOrder;
            (Batch Batch, Task<IngestResult>? Stored)? previous = null;
            await foreach (var batch in channel.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                var stored = batch.Events.Count > 0 ? store.IngestAsync(account.Id, batch.Events) : null;
                if (previous is { } p)
                {
                    await FinishAsync(p.Batch, p.Stored, stored, committed).ConfigureAwait(false);
                }

                if (ahead)
                {
                    previous = (batch, stored);
                }
                else
                {
                    previous = null;
                    await FinishAsync(batch, stored, null, committed).ConfigureAwait(false);
                }
            }

            if (previous is { } last)
            {
                await FinishAsync(last.Batch, last.Stored, null, committed).ConfigureAwait(false);
            }

            await producer.ConfigureAwait(false);
        }

        /// <summary>
        /// Counts a stored batch and reports it. Should it have failed, the batch handed in after it is waited for
        /// (whatever its outcome: the import is re-run as a whole) before the failure goes on.
        /// </summary>
        private async Task FinishAsync(Batch batch, Task<IngestResult>? stored, Task<IngestResult>? next, Func<Batch, Task> committed)
        {
            if (stored is not null)
            {
                IngestResult result;
                try
                {
                    result = await stored.ConfigureAwait(false);
                }
                catch (Exception) when (next is not null)
                {
                    await ((Task)next).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).ConfigureAwait(false);
                    throw;
                }

                Accepted += result.AcceptedCount;
                Duplicates += result.DuplicateCount;
                if (!_deferred && Accepted > _deferAt)
                {
                    await store.DeferRollupsAsync(account.Id).ConfigureAwait(false);
                    _deferred = true;
                }
            }

            // The last batch is empty when the count is a multiple of the batch size: nothing new to report.
            if (batch.Events.Count > 0 || batch.RecordsThrough > Records)
            {
                Records = batch.RecordsThrough;
                await committed(batch).ConfigureAwait(false);
            }
        }

        private void Produce(ChannelWriter<Batch> writer)
        {
            try
            {
                var size = Math.Min(batchSize, FirstBatch);
                var events = new List<Event>(size);
                long records = 0;
                try
                {
                    ParallelEventReader.Read(input, threads, (_, line, ev, error) =>
                    {
                        records++;
                        if (ev is not null)
                        {
                            events.Add(ev);
                        }
                        else
                        {
                            Reject(error!.AtLine(line));
                        }

                        if (events.Count >= size)
                        {
                            writer.WriteAsync(new Batch(events, records, Position())).AsTask().GetAwaiter().GetResult();
                            size = Math.Min(batchSize, 2 * size);
                            events = new List<Event>(size);
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
