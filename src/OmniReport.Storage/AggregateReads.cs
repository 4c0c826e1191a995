using OmniReport.Core.Aggregates;

namespace OmniReport.Storage;

/// <summary>Fills an aggregates answer (SPEC §7) from the stored records of an account.</summary>
public static class AggregateReads
{
    /// <summary>Adds every stored record of the request's kind that starts in its interval.</summary>
    public static async Task FillAsync(IRecordReader store, long accountId, Aggregation aggregation, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(aggregation);
        var r = aggregation.Request;
        if (r.Kind == AggregateKind.Engagements)
        {
            await foreach (var e in store.EngagementsByStartAsync(accountId, r.FromMs, r.ToMs, ct).ConfigureAwait(false))
            {
                aggregation.Add(AggregateKind.Of(e));
            }
        }
        else
        {
            await foreach (var row in store.InteractionsByStartAsync(accountId, r.FromMs, r.ToMs, ct).ConfigureAwait(false))
            {
                aggregation.Add(AggregateKind.Of(row.Record));
            }
        }
    }
}
