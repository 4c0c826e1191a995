using System.Runtime.CompilerServices;
using OmniReport.Core.Aggregates;
using OmniReport.Core.Derivation;

namespace OmniReport.Storage;

/// <summary>Reads of the derived records.</summary>
public interface IRecordReader
{
    /// <summary>Logged engagements matching <paramref name="query"/>, in API order (start second, engagement id).</summary>
    IAsyncEnumerable<Engagement> QueryEngagementsAsync(long accountId, EngagementQuery query, CancellationToken ct = default);

    /// <summary>One logged engagement, or null.</summary>
    Task<Engagement?> GetEngagementAsync(long accountId, string engagementId, CancellationToken ct = default);

    /// <summary>Logged engagements with fromMs ≤ start &lt; toMs, in API order (start second, engagement id), streamed.</summary>
    IAsyncEnumerable<Engagement> EngagementsByStartAsync(long accountId, long fromMs, long toMs, CancellationToken ct = default);

    /// <summary>Interaction records with fromMs ≤ start &lt; toMs, by start then interaction id, streamed.</summary>
    IAsyncEnumerable<InteractionRow> InteractionsByStartAsync(long accountId, long fromMs, long toMs, CancellationToken ct = default);

    /// <summary>
    /// Engagements open at <see cref="NowQuery.NowMs"/> (SPEC §9), oldest start first (then engagement id), read from
    /// the open engagement each interaction keeps; one whose inactivity deadline has passed is no longer open even
    /// before the sweep writes its end.
    /// </summary>
    Task<NowPage<OpenEngagementRow>> OpenEngagementsAsync(long accountId, NowQuery query, CancellationToken ct = default);

    /// <summary>
    /// Interactions waiting at <see cref="NowQuery.NowMs"/> (SPEC §9): not ended, not solved, closed or deleted, no
    /// human assignee (record status <c>OFFERED</c>), longest wait (earliest start) first, then interaction id.
    /// </summary>
    Task<NowPage<WaitingInteraction>> WaitingInteractionsAsync(long accountId, NowQuery query, CancellationToken ct = default);

    /// <summary>The agents and bots that events named, with their names (the latest event's), by agent id (ordinal).</summary>
    Task<IReadOnlyList<AgentEntry>> AgentsAsync(long accountId, CancellationToken ct = default);

    /// <summary>
    /// The group ids of the account's interaction records (their current group) and logged engagements (their group at
    /// the start), by group id (ordinal), each with the <c>groups</c> texts its interaction records carry.
    /// </summary>
    Task<IReadOnlyList<GroupEntry>> GroupsAsync(long accountId, CancellationToken ct = default);

    /// <summary>
    /// The records of <paramref name="kind"/> with fromMs ≤ start &lt; toMs reduced to what aggregates read (SPEC §7), in
    /// no particular order. The stores read the typed columns; this default decodes whole records.
    /// </summary>
    async IAsyncEnumerable<Fact> FactsByStartAsync(long accountId, AggregateKind kind, long fromMs, long toMs, [EnumeratorCancellation] CancellationToken ct = default)
    {
        if (kind == AggregateKind.Engagements)
        {
            await foreach (var e in EngagementsByStartAsync(accountId, fromMs, toMs, ct).ConfigureAwait(false))
            {
                yield return AggregateKind.Of(e);
            }
        }
        else
        {
            await foreach (var row in InteractionsByStartAsync(accountId, fromMs, toMs, ct).ConfigureAwait(false))
            {
                yield return AggregateKind.Of(row.Record);
            }
        }
    }
}
