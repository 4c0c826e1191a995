using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using NodaTime;
using NodaTime.Text;
using OmniReport.Generation;
using OmniReport.Core.Settings;
using Spectre.Console;

namespace OmniReport.Cli.Commands;

/// <summary>
/// <c>omnireport generate</c>: realistic synthetic events as NDJSON, on stdout or in a file. The same options
/// give the same bytes; nothing depends on today's date.
/// </summary>
internal static class GenerateCommand
{
    private static readonly Option<string> Out = Opt.Text("--out", "FILE", "write to FILE instead of stdout (a progress bar on a terminal and a summary line go to stderr)");
    private static readonly Option<long> Seed = Opt.Number("--seed", "seed of the pseudo-random sequence", 0, long.MaxValue, 1);
    private static readonly Option<long> Interactions = Opt.Number("--interactions", "number of interactions", 1, int.MaxValue, 1000);
    private static readonly Option<long> Events = Opt.Number("--events", "write exactly N events instead of --interactions (enough interactions, cut at N)", 1, long.MaxValue, 0);
    private static readonly Option<long> Days = Opt.Number("--days", "days the arrivals are spread over", 1, 3660, 7);
    private static readonly Option<LocalDate> Start = Opt.Parsed("--start", "DATE", $"first day, YYYY-MM-DD in --timezone (default {GeneratorOptions.DefaultStart:yyyy'-'MM'-'dd})",
        GeneratorOptions.DefaultStart, "be a date YYYY-MM-DD", t => LocalDatePattern.Iso.Parse(t) is { Success: true } r ? r.Value : null);
    private static readonly Option<DateTimeZone> Zone = Opt.Zone("--timezone", "IANA time zone of business hours and weekdays (default UTC)");
    private static readonly Option<long> Agents = Opt.Number("--agents", "human agents (transfers need two)", 2, int.MaxValue, 40);
    private static readonly Option<long> Groups = Opt.Number("--groups", "groups", 1, int.MaxValue, 4);
    private static readonly Option<string> Channels = Opt.Text("--channels", "MIX",
        $"weights of the kinds of interaction, such as messaging=3,voice=1\n(kinds: messaging, chat, email, voice, sms, whatsapp, social, bot-only;\ndefault {ChannelMix.Default})");
    private static readonly Option<double> Late = Opt.Fraction("--late", "fraction of events delivered late, out of order");
    private static readonly Option<double> Duplicates = Opt.Fraction("--duplicates", "fraction of events delivered twice, same id");

    public static Command Create() => new Command("generate", """
        Writes realistic synthetic events (NDJSON, one event a line) for a contact centre: arrivals through
        business hours and weekdays; routed conversations, offers declined and expired, transfers to agents
        and to groups, reassignment, unassignment, pending and reopen, inactivity, conversations ended by
        agents, answered, missed, abandoned and voicemail calls, bot-only conversations, internal notes.
        The same options (and --seed) always give the same bytes.
        """) { Out, Seed, Interactions, Events, Days, Start, Zone, Agents, Groups, Channels, Late, Duplicates }.Runs(RunAsync);

    private static async Task<int> RunAsync(Run run)
    {
        if (run.Given(Interactions) && run.Given(Events))
        {
            throw new UsageException("give --interactions or --events, not both");
        }

        var options = Options(run);
        var generator = new EventGenerator(options);
        var console = run.Console;
        if (run.Get(Out) is { } path)
        {
            var clock = Stopwatch.StartNew();
            long written;
            try
            {
                await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
                written = console.InteractiveError ? WithProgressBar(console, generator, options, file) : generator.WriteNdjson(file);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"cannot write {path}: {ex.Message}", 1);
            }

            var seconds = Math.Max(clock.Elapsed.TotalSeconds, 1e-3);
            await console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"generated {written} events of {generator.InteractionCount} interactions over {options.Days} days from {options.Start:yyyy'-'MM'-'dd} (seed {options.Seed}) to {path} in {seconds:0.0} s ({written / seconds:0} events/s)")).ConfigureAwait(false);
        }
        else
        {
            generator.WriteNdjson(console.Out);
        }

        return 0;
    }

    /// <summary>Writes the events with a progress bar on the terminal (by events when --events is given, else by count alone).</summary>
    private static long WithProgressBar(Terminal console, EventGenerator generator, GeneratorOptions options, Stream file)
    {
        var ansi = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(console.Error), Interactive = InteractionSupport.Yes });
        return ansi.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("generating", maxValue: options.Events ?? 1);
                task.IsIndeterminate = options.Events is null;
                var n = generator.WriteNdjson(file, count =>
                {
                    task.Value = Math.Min(count, task.MaxValue);
                    task.Description = string.Create(CultureInfo.InvariantCulture, $"generating: {count:N0} events");
                });
                task.Value = task.MaxValue;
                task.StopTask();
                return n;
            });
    }

    private static GeneratorOptions Options(Run run)
    {
        ChannelMix? mix = ChannelMix.Default;
        if (run.Get(Channels) is { } channels && !ChannelMix.TryParse(channels, out mix, out var problem))
        {
            throw new UsageException($"--channels: {problem}");
        }

        return new GeneratorOptions
        {
            Seed = (ulong)run.Get(Seed),
            Interactions = (int)run.Get(Interactions),
            Events = run.Given(Events) ? run.Get(Events) : null,
            Days = (int)run.Get(Days),
            Start = run.Get(Start),
            TimeZone = run.Get(Zone)!,
            Agents = (int)run.Get(Agents),
            Groups = (int)run.Get(Groups),
            Mix = mix!,
            LateFraction = run.Get(Late),
            DuplicateFraction = run.Get(Duplicates),
        };
    }
}
