using System.Diagnostics;
using System.Globalization;
using NodaTime.Text;
using OmniReport.Generation;
using OmniReport.Core.Settings;
using Spectre.Console;

namespace OmniReport.Cli;

/// <summary>
/// <c>omnireport generate</c>: realistic synthetic events as NDJSON, on stdout or in a file. The same options
/// give the same bytes; nothing depends on today's date.
/// </summary>
internal static class GenerateCommand
{
    private static readonly string Help = $"""
        omnireport generate [options]

        Writes realistic synthetic events (NDJSON, one event a line) for a contact centre: arrivals through
        business hours and weekdays; routed conversations, offers declined and expired, transfers to agents
        and to groups, reassignment, unassignment, pending and reopen, inactivity, conversations ended by
        agents, answered, missed, abandoned and voicemail calls, bot-only conversations, internal notes.
        The same options (and --seed) always give the same bytes.

        Options:
          --out FILE            write to FILE instead of stdout
          --seed N              seed of the pseudo-random sequence (default 1)
          --interactions N      number of interactions (default 1000)
          --events N            write exactly N events instead (enough interactions, cut at N)
          --days N              days the arrivals are spread over (default 7)
          --start DATE          first day, YYYY-MM-DD in --timezone (default {GeneratorOptions.DefaultStart:yyyy'-'MM'-'dd})
          --timezone TZ         IANA time zone of business hours and weekdays (default UTC)
          --agents N            human agents (default 40)
          --groups N            groups (default 4)
          --channels MIX        weights of the kinds of interaction, such as messaging=3,voice=1
                                (kinds: messaging, chat, email, voice, sms, whatsapp, social, bot-only;
                                default {ChannelMix.Default})
          --late FRACTION       fraction of events delivered late, out of order (default 0)
          --duplicates FRACTION fraction of events delivered twice, same id (default 0)

        With --out, a progress bar (on a terminal) and a summary line go to stderr.

        Options for every command:
        {Arguments.CommonHelp}
        """;

    private static readonly HashSet<string> Valued =
        ["out", "seed", "interactions", "events", "days", "start", "timezone", "agents", "groups", "channels", "late", "duplicates"];

    private static readonly HashSet<string> Flags = [];

    public static async Task<int> RunAsync(string[] args, Terminal console)
    {
        var a = new Arguments("generate", args, Valued, Flags, console);
        if (a.Flag("help"))
        {
            await console.WriteOutAsync(Help.TrimEnd() + "\n").ConfigureAwait(false);
            return 0;
        }

        if (a.Positional.Count != 0)
        {
            throw new UsageException($"omnireport generate: unexpected argument \"{a.Positional[0]}\"\n\n{Help}");
        }

        var options = Options(a);
        if (options.Problem() is { } problem)
        {
            throw new UsageException($"omnireport generate: {problem}");
        }

        var generator = new EventGenerator(options);
        if (a["out"] is { } path)
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
                throw new UsageException($"omnireport generate: cannot write {path}: {ex.Message}", 1);
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

    private static GeneratorOptions Options(Arguments a)
    {
        var o = new GeneratorOptions();
        if (a["seed"] is { } seed)
        {
            o = o with { Seed = ulong.TryParse(seed, NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : throw Bad("seed", "a whole number 0 or more", seed) };
        }

        o = o with
        {
            Interactions = Int(a, "interactions", o.Interactions),
            Days = Int(a, "days", o.Days),
            Agents = Int(a, "agents", o.Agents),
            Groups = Int(a, "groups", o.Groups),
            LateFraction = Fraction(a, "late"),
            DuplicateFraction = Fraction(a, "duplicates"),
        };
        if (a["events"] is { } events)
        {
            o = o with { Events = long.TryParse(events, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw Bad("events", "a whole number 1 or more", events) };
        }

        if (a["start"] is { } start)
        {
            var parsed = LocalDatePattern.Iso.Parse(start);
            o = o with { Start = parsed.Success ? parsed.Value : throw Bad("start", "a date YYYY-MM-DD", start) };
        }

        if (a["timezone"] is { } zone)
        {
            o = o with { TimeZone = Zones.Find(zone) ?? throw Bad("timezone", "an IANA time zone such as Europe/Lisbon", zone) };
        }

        if (a["channels"] is { } channels)
        {
            o = o with { Mix = ChannelMix.TryParse(channels, out var mix, out var problem) ? mix! : throw new UsageException($"omnireport generate: --channels: {problem}") };
        }

        return o;
    }

    private static int Int(Arguments a, string name, int fallback) =>
        a[name] is not { } text ? fallback
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n
        : throw Bad(name, "a whole number 1 or more", text);

    private static double Fraction(Arguments a, string name) =>
        a[name] is not { } text ? 0
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && f is >= 0 and <= 1 ? f
        : throw Bad(name, "a fraction between 0 and 1", text);

    private static UsageException Bad(string option, string what, string value) =>
        new($"omnireport generate: --{option} must be {what}, not \"{value}\"");
}
