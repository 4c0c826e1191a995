using OmniReport.Core.Events;

namespace OmniReport.Storage;

/// <summary>The projection: events in, derived records kept up to date, every difference in the change log.</summary>
public interface IProjectionStore
{
    /// <summary>
    /// Stores a batch of validated events: those whose id the account already has (or that repeat an id
    /// earlier in the batch) are duplicates and ignored; the rest are stored, and the records of every
    /// touched interaction recomputed, in one transaction. Durable when the task completes.
    /// The store gives each accepted event its arrival order (SPEC §1) on its own copy; the caller's events are left as
    /// they are. The differences go to the account's change log in the same transaction.
    /// </summary>
    /// <returns>For each event of the batch, in order, whether it was accepted (false: duplicate); the changes.</returns>
    Task<IngestResult> IngestAsync(long accountId, IReadOnlyList<Event> events, CancellationToken ct = default);

    /// <summary>
    /// True when the batches of calls to <see cref="IngestAsync"/> made one after the other are stored in that order
    /// (their events get arrival sequences in call order) even when a call is made before the task of the one before it
    /// completed: a bulk import may then hand its next batch in while the previous one is being stored.
    /// </summary>
    bool IngestsInCallOrder => false;

    /// <summary>
    /// Applies the inactivity ends whose moment has passed (SPEC §3.3–3.4) by recomputing the interactions
    /// whose deadline is at or before now. Returns how many interactions it recomputed and the changes it logged.
    /// </summary>
    Task<SweepResult> SweepAsync(CancellationToken ct = default);

    /// <summary>Every account with the format of its derived data and whether a rebuild of it is under way.</summary>
    Task<IReadOnlyList<AccountProjection>> ListProjectionsAsync(CancellationToken ct = default);

    /// <summary>
    /// One step of rebuilding an account's derived data from its stored events (SPEC §6), in its own transaction, so
    /// the service keeps answering: the next <paramref name="maxInteractions"/> interactions after where the account's
    /// rebuild stands (from the start when none is under way) are recomputed, and the differences logged. The last
    /// step (nothing left) marks the account's data as of <see cref="ProjectionFormat.Current"/>.
    /// </summary>
    Task<RebuildStep> RebuildStepAsync(long accountId, int maxInteractions, CancellationToken ct = default);

    /// <summary>
    /// For a bulk load (<c>omnireport import</c>): stops keeping the account's rollups (issue #11) until
    /// <see cref="BuildRollupsAsync"/>, so each batch writes its records only; meanwhile the aggregates are answered from
    /// the records, and a start that finds the build still pending (an interrupted import) does it. Nothing changes when
    /// a rebuild of the account is under way (its last step builds them).
    /// </summary>
    Task DeferRollupsAsync(long accountId, CancellationToken ct = default);

    /// <summary>
    /// Builds the account's rollups from its stored records, at once, when <see cref="DeferRollupsAsync"/> left them
    /// pending; true when it did (false: they are kept up to date, or a rebuild under way will build them).
    /// </summary>
    Task<bool> BuildRollupsAsync(long accountId, CancellationToken ct = default);

    /// <summary>How many interactions the account has, and how many of them a rebuild under way has done.</summary>
    Task<(long Total, long Done)> RebuildProgressAsync(long accountId, CancellationToken ct = default);

    /// <summary>The account's change-log entries with a sequence after <paramref name="afterSequence"/>, oldest first.</summary>
    Task<IReadOnlyList<Change>> ReadChangesAsync(long accountId, long afterSequence, int limit, CancellationToken ct = default);
}
