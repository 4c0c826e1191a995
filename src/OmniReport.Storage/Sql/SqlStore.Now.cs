using OmniReport.Core.Events;
using OmniReport.Storage.Codec;

namespace OmniReport.Storage.Sql;

/// <summary>The "now" reads (SPEC §9): the open engagements and the waiting interactions, from stored state (<see cref="NowSql"/>).</summary>
public abstract partial class SqlStore
{
    /// <inheritdoc cref="IRecordReader.OpenEngagementsAsync"/>
    public async Task<NowPage<OpenEngagementRow>> OpenEngagementsAsync(long accountId, NowQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        long count = 0;
        var rows = await NowAsync(accountId, query, NowSql.OpenEngagements(query), r =>
        {
            count = r.GetInt64(2);
            return new OpenEngagementRow(RecordCodec.ReadOpen(r.GetFieldValue<byte[]>(0)), r.GetString(1));
        }, ct).ConfigureAwait(false);
        return new NowPage<OpenEngagementRow>(rows, count);
    }

    /// <inheritdoc cref="IRecordReader.WaitingInteractionsAsync"/>
    public async Task<NowPage<WaitingInteraction>> WaitingInteractionsAsync(long accountId, NowQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        long count = 0;
        var rows = await NowAsync(accountId, query, NowSql.WaitingInteractions(query), r =>
        {
            count = r.GetInt64(4);
            Vocabulary.TryChannelIgnoreCase(r.GetString(1), out var channel);
            return new WaitingInteraction(r.GetString(0), channel, r.GetString(2), r.GetInt64(3));
        }, ct).ConfigureAwait(false);
        return new NowPage<WaitingInteraction>(rows, count);
    }

    /// <summary>Runs a "now" statement: $1 the account, $2 now, $3 the limit, then its filter values.</summary>
    private async Task<List<T>> NowAsync<T>(long accountId, NowQuery query, (string Sql, List<string> Filters) statement, Func<System.Data.Common.DbDataReader, T> read, CancellationToken ct)
    {
        await using var lease = await ReadAsync(scan: false, ct).ConfigureAwait(false);
        return await ListAsync(lease.Connection, null, read, statement.Sql, ct, [accountId, query.NowMs, query.Limit, .. statement.Filters]).ConfigureAwait(false);
    }
}
