namespace OmniReport.Storage;

/// <summary>
/// What the live stream and webhooks (SPEC §9) need of the store beyond the change log itself
/// (<see cref="IProjectionStore.ReadChangesAsync"/>).
/// </summary>
public interface IChangeFeed
{
    /// <summary>The account id <see cref="WatchChangesAsync"/> reports when any account may have changed.</summary>
    public const long AnyAccount = 0;

    /// <summary>
    /// The account's agent (and bot) names, by agent id: an interaction record's <c>agent_name</c> is the account-wide
    /// name (SPEC §1), joined in when the record is written out, as report files do.
    /// </summary>
    Task<IReadOnlyDictionary<string, string>> AgentNamesAsync(long accountId, CancellationToken ct = default);

    /// <summary>
    /// The sequence of the account's latest committed change (0 when it has none), whether or not it is still kept:
    /// every change up to it is committed, so a reader that finds a gap after its position knows the log was pruned.
    /// </summary>
    Task<long> LastChangeAsync(long accountId, CancellationToken ct = default);

    /// <summary>
    /// Deletes change-log entries written before <paramref name="beforeMs"/>, a prefix of each account's log (the
    /// entries kept stay without gaps). Returns how many it deleted.
    /// </summary>
    Task<long> PruneChangesAsync(long beforeMs, CancellationToken ct = default);

    /// <summary>
    /// Calls <paramref name="changed"/> with an account id whenever that account's change log may have grown (or with
    /// <see cref="AnyAccount"/> when any may have), until <paramref name="ct"/> is cancelled. Commits of this process
    /// are reported at once; those of other processes by PostgreSQL <c>NOTIFY</c>, or on SQLite by looking at every
    /// account's next change sequence every <paramref name="poll"/>. Calls may be spurious, never missing.
    /// </summary>
    Task WatchChangesAsync(Action<long> changed, TimeSpan poll, CancellationToken ct);
}
