using NodaTime;

namespace OmniReport.Generation;

/// <summary>
/// What <see cref="EventGenerator"/> makes. The same options (seed included) always give the same events,
/// byte for byte, whatever the date or the machine.
/// </summary>
public sealed record GeneratorOptions
{
    /// <summary>The first day of the generated window, in <see cref="TimeZone"/>: a fixed Monday by default.</summary>
    public static readonly LocalDate DefaultStart = new(2026, 3, 2);

    /// <summary>Seed of the pseudo-random sequence.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Number of interactions (ignored when <see cref="Events"/> is set).</summary>
    public int Interactions { get; init; } = 1000;

    /// <summary>
    /// When set, exactly this many events are written: the number of interactions is chosen to give a few
    /// more, and the stream is cut at this count (the last interactions are then still going).
    /// </summary>
    public long? Events { get; init; }

    /// <summary>Number of days the arrivals are spread over.</summary>
    public int Days { get; init; } = 7;

    /// <summary>Number of human agents.</summary>
    public int Agents { get; init; } = 40;

    /// <summary>Number of groups (queues).</summary>
    public int Groups { get; init; } = 4;

    /// <summary>Relative weights of the kinds of interaction.</summary>
    public ChannelMix Mix { get; init; } = ChannelMix.Default;

    /// <summary>The first day of the window.</summary>
    public LocalDate Start { get; init; } = DefaultStart;

    /// <summary>The contact centre's time zone: business hours and weekdays are read in it.</summary>
    public DateTimeZone TimeZone { get; init; } = DateTimeZone.Utc;

    /// <summary>Fraction (0–1) of events delivered late, 1 to 120 minutes after the events that follow them.</summary>
    public double LateFraction { get; init; }

    /// <summary>Fraction (0–1) of events delivered a second time (same id) within the next 10 minutes.</summary>
    public double DuplicateFraction { get; init; }

    /// <summary>The first problem with the options, or null when they are usable.</summary>
    public string? Problem() =>
        Interactions < 1 ? "interactions must be 1 or more"
        : Events is < 1 ? "events must be 1 or more"
        : Days is < 1 or > 3660 ? "days must be between 1 and 3660"
        : Agents < 2 ? "agents must be 2 or more (transfers need two)"
        : Groups < 1 ? "groups must be 1 or more"
        : LateFraction is < 0 or > 1 || double.IsNaN(LateFraction) ? "late must be a fraction between 0 and 1"
        : DuplicateFraction is < 0 or > 1 || double.IsNaN(DuplicateFraction) ? "duplicates must be a fraction between 0 and 1"
        : null;
}
