using Npgsql;
using OmniReport.Core.Events;
using OmniReport.Storage.Codec;

namespace OmniReport.Storage.Postgres;

public sealed partial class PostgresStore
{
    /// <inheritdoc />
    public async Task<NowPage<OpenEngagementRow>> OpenEngagementsAsync(long accountId, NowQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var rows = new List<OpenEngagementRow>();
        long count = 0;
        await using var cmd = NowCommand(accountId, query, NowSql.OpenEngagements(query));
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            rows.Add(new OpenEngagementRow(RecordCodec.ReadOpen(r.GetFieldValue<byte[]>(0)), r.GetString(1)));
            count = r.GetInt64(2);
        }

        return new NowPage<OpenEngagementRow>(rows, count);
    }

    /// <inheritdoc />
    public async Task<NowPage<WaitingInteraction>> WaitingInteractionsAsync(long accountId, NowQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var rows = new List<WaitingInteraction>();
        long count = 0;
        await using var cmd = NowCommand(accountId, query, NowSql.WaitingInteractions(query));
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            Vocabulary.TryChannelIgnoreCase(r.GetString(1), out var channel);
            rows.Add(new WaitingInteraction(r.GetString(0), channel, r.GetString(2), r.GetInt64(3)));
            count = r.GetInt64(4);
        }

        return new NowPage<WaitingInteraction>(rows, count);
    }

    private NpgsqlCommand NowCommand(long accountId, NowQuery query, (string Sql, List<string> Filters) statement)
    {
        var cmd = _source.CreateCommand(statement.Sql);
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = accountId });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = query.NowMs });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = query.Limit });
        foreach (var f in statement.Filters)
        {
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = f });
        }

        return cmd;
    }
}
