using System.Runtime.CompilerServices;
using System.Text;
using Npgsql;
using OmniReport.Core.Aggregates;
using OmniReport.Core.Derivation;
using OmniReport.Core.Events;
using OmniReport.Storage.Codec;

namespace OmniReport.Storage.Postgres;

public sealed partial class PostgresStore
{
    /// <inheritdoc />
    public async IAsyncEnumerable<Engagement> QueryEngagementsAsync(long accountId, EngagementQuery query, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var c = await _source.OpenConnectionAsync(ct).ConfigureAwait(false);
        // With a ticket: one snapshot for the interaction's engagement ids and the engagements themselves.
        await using var tx = query.TicketId is null ? null : await c.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand(null, c, tx);
        var sql = new StringBuilder("SELECT data FROM engagements WHERE account_id = $1");
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = accountId });
        void Filter(string condition, NpgsqlParameter p)
        {
            cmd.Parameters.Add(p);
            sql.Append(" AND ").Append(condition.Replace("@", "$" + cmd.Parameters.Count, StringComparison.Ordinal));
        }

        if (query.StartTimeFrom is { } from)
        {
            Filter("start_second >= @", new NpgsqlParameter<long> { TypedValue = from });
        }

        if (query.StartTimeBefore is { } before)
        {
            Filter("start_second < @", new NpgsqlParameter<long> { TypedValue = before });
        }

        if (query.AgentId is { } agent)
        {
            Filter("agent_id = @", new NpgsqlParameter<string> { TypedValue = agent });
        }

        if (query.TicketId is { } ticket)
        {
            // The interaction's row lists its engagements' ids; they are found by key (no index by ticket).
            var ids = await TicketEngagementIdsAsync(c, tx!, accountId, ticket, ct).ConfigureAwait(false);
            if (ids.Length == 0)
            {
                yield break;
            }

            Filter("engagement_id = ANY(@)", new NpgsqlParameter<string[]> { TypedValue = ids });
            Filter("interaction_id = @", new NpgsqlParameter<string> { TypedValue = ticket });
        }

        if (query.GroupId is { } group)
        {
            Filter("group_id = @", new NpgsqlParameter<string> { TypedValue = group });
        }

        if (query.Channel is { } channel)
        {
            Filter("channel = @", new NpgsqlParameter<string> { TypedValue = Vocabulary.Upper(channel) });
        }

        if (query.After is { } after)
        {
            cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = after.StartSecond });
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = after.EngagementId });
            sql.Append(" AND (start_second, engagement_id) > ($").Append(cmd.Parameters.Count - 1).Append(", $").Append(cmd.Parameters.Count).Append(')');
        }

        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = query.Limit });
        sql.Append(" ORDER BY start_second, engagement_id LIMIT $").Append(cmd.Parameters.Count);
        cmd.CommandText = sql.ToString();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            yield return RecordCodec.ReadEngagement(r.GetFieldValue<byte[]>(0));
        }
    }

    private static async Task<string[]> TicketEngagementIdsAsync(NpgsqlConnection c, NpgsqlTransaction tx, long accountId, string ticket, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT engagements FROM interactions WHERE account_id = $1 AND interaction_id = $2", c, tx);
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = accountId });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = ticket });
        return await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) is byte[] digest ? RecordCodec.DigestIds(digest) : [];
    }

    /// <inheritdoc />
    public async Task<Engagement?> GetEngagementAsync(long accountId, string engagementId, CancellationToken ct = default)
    {
        await using var cmd = _source.CreateCommand("SELECT data FROM engagements WHERE account_id = $1 AND engagement_id = $2");
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = accountId });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = engagementId });
        return await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) is byte[] data ? RecordCodec.ReadEngagement(data) : null;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<Engagement> EngagementsByStartAsync(long accountId, long fromMs, long toMs, [EnumeratorCancellation] CancellationToken ct = default)
    {
        if (fromMs >= toMs)
        {
            yield break;
        }

        await using var c = await _source.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("""
            SELECT data FROM engagements WHERE account_id = $1 AND start_second >= $2 AND start_second <= $3
            ORDER BY start_second, engagement_id
            """, c);
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = accountId });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = Time.FloorDiv(fromMs, 1000) });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = Time.FloorDiv(toMs - 1, 1000) });
        await using var r = await cmd.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            var e = RecordCodec.ReadEngagement(r.GetFieldValue<byte[]>(0));
            if (e.StartMs >= fromMs && e.StartMs < toMs)
            {
                yield return e;
            }
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<InteractionRow> InteractionsByStartAsync(long accountId, long fromMs, long toMs, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var c = await _source.OpenConnectionAsync(ct).ConfigureAwait(false);
        // Names are joined in memory: an account has few agents and bots.
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var n = new NpgsqlCommand("SELECT agent_id, name FROM agent_names WHERE account_id = $1", c))
        {
            n.Parameters.Add(new NpgsqlParameter<long> { TypedValue = accountId });
            await using var nr = await n.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await nr.ReadAsync(ct).ConfigureAwait(false))
            {
                names[nr.GetString(0)] = nr.GetString(1);
            }
        }

        await using var cmd = new NpgsqlCommand("""
            SELECT record FROM interactions
            WHERE account_id = $1 AND start_ms >= $2 AND start_ms < $3
            ORDER BY start_ms, interaction_id
            """, c);
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = accountId });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = fromMs });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = toMs });
        await using var r = await cmd.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            var record = RecordCodec.ReadRecord(r.GetFieldValue<byte[]>(0));
            yield return new InteractionRow(record, names.GetValueOrDefault(record.AgentId, ""));
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<Fact> FactsByStartAsync(long accountId, AggregateKind kind, long fromMs, long toMs, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(kind);
        await using var c = await _source.OpenConnectionAsync(ct).ConfigureAwait(false);
        var engagements = kind == AggregateKind.Engagements;
        await using var cmd = new NpgsqlCommand(engagements
            ? $"SELECT {AggregateReads.EngagementColumns} FROM engagements WHERE account_id = $1 AND start_second >= $4 AND start_second <= $5 AND start_ms >= $2 AND start_ms < $3"
            : $"SELECT {AggregateReads.InteractionColumns} FROM interactions WHERE account_id = $1 AND start_ms >= $2 AND start_ms < $3", c);
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = accountId });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = fromMs });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = toMs });
        if (engagements)
        {
            cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = Time.FloorDiv(fromMs, 1000) });
            cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = Time.FloorDiv(toMs - 1, 1000) });
        }

        var interned = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            yield return AggregateReads.Read(r, kind, interned);
        }
    }
}
