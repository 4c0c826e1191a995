using System.Data.Common;
using OmniReport.Core.Aggregates;

namespace OmniReport.Storage;

/// <summary>
/// Fills an aggregates answer (SPEC §7) from the stored records of an account, reading only the typed columns an
/// aggregate needs (issue #10's columns), named once for both stores.
/// </summary>
public static class AggregateReads
{
    /// <summary>The columns of an engagement fact: start, the dimensions, the numeric fields (AggregateKind order).</summary>
    internal const string EngagementColumns =
        "start_ms, agent_id, group_id, channel, engagement_start_reason, engagement_end_reason, ticket_status_start, ticket_status_end, "
        + "engagement_duration_seconds, offer_time_seconds, assignment_to_first_reply_time_seconds, agent_messages_count, agent_replies_count, "
        + "end_user_messages_count, total_requester_wait_time_seconds, longest_requester_wait_time_seconds, average_requester_wait_time_seconds";

    /// <summary>The columns of an interaction-record fact.</summary>
    internal const string InteractionColumns =
        "start_ms, interaction_type, interaction_status, interaction_direction, agent_type, agent_id, groups, waiting_time, duration";

    /// <summary>
    /// Fills the answer: from the rollups when they can give it (<see cref="RollupQuery"/>) and are complete, else from
    /// every stored record of the request's kind that starts in its interval. Says which.
    /// </summary>
    public static async Task<AggregateSource> FillAsync(IRecordReader store, long accountId, Aggregation aggregation, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(aggregation);
        if (RollupQuery.For(aggregation) is { } query && await store.ReadRollupsAsync(accountId, query, ct).ConfigureAwait(false))
        {
            query.Finish();
            return AggregateSource.Rollups;
        }

        var r = aggregation.Request;
        await foreach (var fact in store.FactsByStartAsync(accountId, r.Kind, r.FromMs, r.ToMs, ct).ConfigureAwait(false))
        {
            aggregation.Add(fact);
        }

        return AggregateSource.Records;
    }

    /// <summary>The fact in the current row of a reader over <see cref="EngagementColumns"/> or <see cref="InteractionColumns"/>.</summary>
    internal static Fact Read(DbDataReader r, AggregateKind kind, Dictionary<string, string> interned)
    {
        var dims = new string?[kind.Dimensions.Count];
        for (var i = 0; i < dims.Length; i++)
        {
            if (!r.IsDBNull(1 + i))
            {
                // Few distinct values, many rows: one string each.
                var s = r.GetString(1 + i);
                dims[i] = interned.TryGetValue(s, out var known) ? known : interned[s] = s;
            }
        }

        var values = new long?[kind.Numeric.Count];
        for (var i = 0; i < values.Length; i++)
        {
            var col = 1 + dims.Length + i;
            values[i] = r.IsDBNull(col) ? null : r.GetInt64(col);
        }

        return new Fact(r.GetInt64(0), dims, values);
    }
}

/// <summary>Where an aggregates answer came from.</summary>
public enum AggregateSource
{
    /// <summary>The rollups (cost follows cells: buckets × groups).</summary>
    Rollups,

    /// <summary>The records of the interval (the typed columns).</summary>
    Records,
}
