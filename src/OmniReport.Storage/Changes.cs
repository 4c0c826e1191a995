using OmniReport.Core.Derivation;

namespace OmniReport.Storage;

/// <summary>What one change of an account's derived data is (SPEC §9 event names).</summary>
public enum ChangeKind
{
    /// <summary><c>engagement.logged</c>: an engagement became logged, or a logged one changed.</summary>
    EngagementLogged,

    /// <summary><c>engagement.unlogged</c>: a logged engagement no longer exists after a recompute.</summary>
    EngagementUnlogged,

    /// <summary><c>interaction.updated</c>: an interaction record appeared or changed.</summary>
    InteractionUpdated,

    /// <summary><c>interaction.removed</c>: an interaction record went away (the interaction was deleted).</summary>
    InteractionRemoved,
}

/// <summary>The wire names of <see cref="ChangeKind"/>, as the change log stores them (no ordinals in SQL).</summary>
public static class ChangeKinds
{
    /// <summary>The name of a kind.</summary>
    public static string Name(ChangeKind kind) => kind switch
    {
        ChangeKind.EngagementLogged => "engagement.logged",
        ChangeKind.EngagementUnlogged => "engagement.unlogged",
        ChangeKind.InteractionUpdated => "interaction.updated",
        ChangeKind.InteractionRemoved => "interaction.removed",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The kind of a stored name.</summary>
    public static ChangeKind Parse(string name) => name switch
    {
        "engagement.logged" => ChangeKind.EngagementLogged,
        "engagement.unlogged" => ChangeKind.EngagementUnlogged,
        "interaction.updated" => ChangeKind.InteractionUpdated,
        "interaction.removed" => ChangeKind.InteractionRemoved,
        _ => throw new FormatException($"unknown change kind \"{name}\""),
    };
}

/// <summary>One entry of an account's change log.</summary>
/// <param name="Sequence">The account's change sequence: increasing, the id a live stream sends (SPEC §9).</param>
/// <param name="Kind">What changed.</param>
/// <param name="Key">The engagement id (engagement changes) or the interaction id (record changes).</param>
/// <param name="AtMs">When it was written (store clock), for retention.</param>
/// <param name="Engagement">
/// The engagement (<see cref="ChangeKind.EngagementLogged"/>): as the change made it when an ingest or sweep returns the
/// change; as it is now when read back from the log (null when it is no longer logged).
/// </param>
/// <param name="Record">The record (<see cref="ChangeKind.InteractionUpdated"/>), likewise.</param>
public sealed record Change(long Sequence, ChangeKind Kind, string Key, long AtMs, Engagement? Engagement, InteractionRecord? Record)
{
    /// <summary>
    /// True for an entry read back whose engagement or record has gone since: a later entry of the log (unlogged,
    /// removed) says so, and this one has nothing to send.
    /// </summary>
    public bool Superseded => (Kind == ChangeKind.EngagementLogged && Engagement is null) || (Kind == ChangeKind.InteractionUpdated && Record is null);
}

/// <summary>What a sweep did.</summary>
/// <param name="Interactions">How many interactions it recomputed.</param>
/// <param name="Changes">The changes it appended to the change logs, in order.</param>
public sealed record SweepResult(int Interactions, IReadOnlyList<Change> Changes);
