using OmniReport.Core.Events;
using OmniReport.Core.Settings;

namespace OmniReport.Core.Derivation;

/// <summary>
/// The one projector: derives an interaction from its stored events plus new ones, under an account's settings at
/// time <c>now</c>, and says what changed against what was derived before. Every path that derives goes through it:
/// <c>omnireport derive</c> (<see cref="AccountDerivation"/>), import and HTTP ingest, the inactivity sweep, a
/// settings change and a rebuild. Pure: no clock, no I/O.
/// </summary>
/// <param name="settings">The account's settings.</param>
/// <param name="nowMs">The time that decides which inactivity ends have been reached.</param>
public sealed class Projector(AccountSettings settings, long nowMs)
{
    /// <summary>The settings it derives under.</summary>
    public AccountSettings Settings => settings;

    /// <summary>The time it derives at.</summary>
    public long NowMs => nowMs;

    /// <summary>
    /// Projects one interaction. <paramref name="events"/> holds its stored events first (the first
    /// <paramref name="storedCount"/>) and then the new ones, each with its arrival sequence, no id twice; they are
    /// sorted in place. <paramref name="previous"/> is what the store derived last time (null: nothing).
    /// </summary>
    public Projection Project(Span<Event> events, int storedCount, ProjectionDigest? previous)
    {
        var wasCreated = storedCount > 0 && Derive.FirstCreated(events[..storedCount]) is not null;
        var created = Derive.FirstCreated(events);
        var names = created is null ? [] : Sightings(wasCreated ? events[storedCount..] : events);
        var result = created is null
            ? new InteractionResult(null, [], null)
            : Derive.InteractionInPlace(events, created, settings, nowMs);
        return Difference(result, created is not null, names, previous ?? ProjectionDigest.Empty);
    }

    /// <summary>
    /// Projects one interaction from all its events for a one-shot derivation (<see cref="AccountDerivation"/>):
    /// nothing stored before, so nothing to compare with and no fingerprints to take. <paramref name="events"/> are
    /// sorted in place and folded into <paramref name="fold"/>, which is restarted first (one fold serves a thread's
    /// interactions one after another); their name sightings go into <paramref name="names"/>, when given, if the
    /// interaction has its <c>interaction.created</c>. False when it has none (it derives nothing yet); else the fold
    /// holds what <see cref="Project"/> would give (<see cref="InteractionFold.AddLogged"/>,
    /// <see cref="InteractionFold.Record"/>).
    /// </summary>
    internal bool DeriveAll(Span<Event> events, AgentDirectory? names, InteractionFold fold)
    {
        if (Derive.FirstCreated(events) is not { } created)
        {
            return false;
        }

        if (names is not null)
        {
            foreach (var e in events)
            {
                names.Observe(e);
            }
        }

        fold.Restart();
        Derive.FoldInPlace(events, created, fold, nowMs);
        return true;
    }

    /// <summary>
    /// The agent-name sightings that come to count: names count only from interactions that have their
    /// <c>interaction.created</c> (SPEC §1), so all its events when it has just arrived, else the new ones.
    /// </summary>
    private static IReadOnlyCollection<NameSighting> Sightings(ReadOnlySpan<Event> events)
    {
        AgentDirectory? names = null;
        foreach (var e in events)
        {
            if (AgentDirectory.SightingOf(e) is { } s)
            {
                (names ??= new AgentDirectory()).Observe(s);
            }
        }

        return names?.Sightings ?? [];
    }

    private static Projection Difference(InteractionResult result, bool hasCreated, IReadOnlyCollection<NameSighting> names, ProjectionDigest previous)
    {
        var digest = new (string Id, ulong Fingerprint)[result.Engagements.Count];
        var logged = new List<Engagement>();
        for (var i = 0; i < digest.Length; i++)
        {
            var e = result.Engagements[i];
            var fp = DerivedFingerprint.Of(e);
            digest[i] = (e.EngagementId, fp);
            if (previous.Find(e.EngagementId) != fp)
            {
                logged.Add(e);
            }
        }

        var unlogged = new List<string>();
        foreach (var (id, _) in previous.Engagements)
        {
            if (Array.FindIndex(digest, d => d.Id == id) < 0)
            {
                unlogged.Add(id);
            }
        }

        ulong? record = result.Record is { } r ? DerivedFingerprint.Of(r) : null;
        return new Projection
        {
            HasCreated = hasCreated,
            Record = result.Record,
            Engagements = result.Engagements,
            Open = result.Open,
            GroupId = result.GroupId,
            InactivityDeadlineMs = result.InactivityDeadlineMs,
            Names = names,
            Digest = new ProjectionDigest(record, digest),
            Logged = logged,
            Unlogged = unlogged,
            RecordChanged = record != previous.Record,
        };
    }
}

/// <summary>What an interaction derived, as a store keeps it to compare the next projection with: fingerprints.</summary>
/// <param name="Record">The interaction record's fingerprint; null when it had none.</param>
/// <param name="Engagements">Each logged engagement's id and fingerprint.</param>
public sealed record ProjectionDigest(ulong? Record, IReadOnlyList<(string Id, ulong Fingerprint)> Engagements)
{
    /// <summary>Nothing derived.</summary>
    public static readonly ProjectionDigest Empty = new(null, []);

    /// <summary>The fingerprint of a logged engagement, or null when it was not logged.</summary>
    public ulong? Find(string engagementId)
    {
        foreach (var (id, fp) in Engagements)
        {
            if (id == engagementId)
            {
                return fp;
            }
        }

        return null;
    }
}

/// <summary>One interaction projected: what it derives now, and the difference against what was stored.</summary>
public sealed record Projection
{
    /// <summary>True when the interaction has its <c>interaction.created</c>.</summary>
    public bool HasCreated { get; init; }

    /// <summary>The interaction record; null when not created yet or deleted.</summary>
    public InteractionRecord? Record { get; init; }

    /// <summary>Every logged engagement, in the order they ended.</summary>
    public required IReadOnlyList<Engagement> Engagements { get; init; }

    /// <summary>The engagement open at now, if any.</summary>
    public OpenEngagement? Open { get; init; }

    /// <summary>The interaction's current group id, or null (kept for the "now" view's group filter, SPEC §9).</summary>
    public string? GroupId { get; init; }

    /// <summary>When the open engagement ends by inactivity, if it can (the sweep's deadline).</summary>
    public long? InactivityDeadlineMs { get; init; }

    /// <summary>The newest agent-name sighting per agent among the events that came to count.</summary>
    public required IReadOnlyCollection<NameSighting> Names { get; init; }

    /// <summary>What to keep to compare the next projection with.</summary>
    public required ProjectionDigest Digest { get; init; }

    /// <summary>Engagements newly logged or changed since the previous projection.</summary>
    public required IReadOnlyList<Engagement> Logged { get; init; }

    /// <summary>Ids of engagements logged before and no longer logged.</summary>
    public required IReadOnlyList<string> Unlogged { get; init; }

    /// <summary>True when the record changed (appeared, changed, or went away).</summary>
    public bool RecordChanged { get; init; }
}
