using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text;
using OmniReport.Core.Aggregates;
using OmniReport.Core.Derivation;
using OmniReport.Core.Events;
using OmniReport.Storage.Codec;

namespace OmniReport.Storage.Sql;

/// <summary>Reads of the derived records, and the filter builder of <c>GET /api/v2/engagements</c> (SPEC §5.3).</summary>
public abstract partial class SqlStore
{
    /// <summary>A read transaction that sees one snapshot for several statements.</summary>
    private protected abstract ValueTask<DbTransaction> BeginSnapshotAsync(DbConnection c, CancellationToken ct);

    /// <summary>The engagements table, with the index a ticket's query must use where the planner needs telling.</summary>
    private protected abstract string EngagementsByIdTable { get; }

    /// <inheritdoc cref="IRecordReader.QueryEngagementsAsync"/>
    public async IAsyncEnumerable<Engagement> QueryEngagementsAsync(long accountId, EngagementQuery query, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var lease = await ReadAsync(scan: false, ct).ConfigureAwait(false);
        var c = lease.Connection;
        // With a ticket: one snapshot for the interaction's engagement ids and the engagements themselves, which are
        // then found by id (there is no index by ticket).
        await using var tx = query.TicketId is null ? null : await BeginSnapshotAsync(c, ct).ConfigureAwait(false);
        await using var cmd = Sql(c, tx, "");
        var sql = new StringBuilder("SELECT ").Append(DerivedRows.EngagementColumns).Append(" FROM ").Append(query.TicketId is null ? "engagements" : EngagementsByIdTable)
            .Append(" WHERE account_id = ").Append(Bind(cmd, accountId));
        void Filter(string column, string op, object value) => sql.Append(" AND ").Append(column).Append(op).Append(Bind(cmd, value));

        if (query.StartTimeFrom is { } from)
        {
            Filter("start_second", " >= ", from);
        }

        if (query.StartTimeBefore is { } before)
        {
            Filter("start_second", " < ", before);
        }

        if (query.AgentId is { } agent)
        {
            Filter("agent_id", " = ", agent);
        }

        if (query.TicketId is { } ticket)
        {
            var digest = await ScalarAsync(c, tx, "SELECT engagements FROM interactions WHERE account_id = $1 AND interaction_id = $2", ct, accountId, ticket).ConfigureAwait(false);
            var ids = digest is byte[] d ? RecordCodec.DigestIds(d) : [];
            if (ids.Length == 0)
            {
                yield break;
            }

            sql.Append(" AND ").Append(Dialect.InList("engagement_id", Bind(cmd, Dialect.ListValue(ids))));
            Filter("interaction_id", " = ", ticket);
        }

        if (query.GroupId is { } group)
        {
            Filter("group_id", " = ", group);
        }

        if (query.Channel is { } channel)
        {
            Filter("channel", " = ", Vocabulary.Upper(channel));
        }

        if (query.After is { } after)
        {
            sql.Append(" AND (start_second, engagement_id) > (").Append(Bind(cmd, after.StartSecond)).Append(", ").Append(Bind(cmd, after.EngagementId)).Append(')');
        }

        sql.Append(" ORDER BY start_second, engagement_id LIMIT ").Append(Bind(cmd, query.Limit));
        cmd.CommandText = sql.ToString();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            yield return DerivedRows.ReadEngagement(r);
        }
    }

    /// <inheritdoc cref="IRecordReader.GetEngagementAsync"/>
    public async Task<Engagement?> GetEngagementAsync(long accountId, string engagementId, CancellationToken ct = default)
    {
        await using var lease = await ReadAsync(scan: false, ct).ConfigureAwait(false);
        var found = await ListAsync(lease.Connection, null, r => DerivedRows.ReadEngagement(r),
            $"SELECT {DerivedRows.EngagementColumns} FROM engagements WHERE account_id = $1 AND engagement_id = $2", ct, accountId, engagementId).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    /// <inheritdoc cref="IRecordReader.EngagementsByStartAsync"/>
    public async IAsyncEnumerable<Engagement> EngagementsByStartAsync(long accountId, long fromMs, long toMs, [EnumeratorCancellation] CancellationToken ct = default)
    {
        if (fromMs >= toMs)
        {
            yield break;
        }

        await using var lease = await ReadAsync(scan: true, ct).ConfigureAwait(false);
        await using var cmd = Sql(lease.Connection, null, $"""
            SELECT {DerivedRows.EngagementColumns} FROM engagements WHERE account_id = $1 AND start_second >= $2 AND start_second <= $3
            ORDER BY start_second, engagement_id
            """, accountId, Time.FloorDiv(fromMs, 1000), Time.FloorDiv(toMs - 1, 1000));
        await using var r = await cmd.ExecuteReaderAsync(CommandBehavior.SequentialAccess, ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            var e = DerivedRows.ReadEngagement(r);
            if (e.StartMs >= fromMs && e.StartMs < toMs)
            {
                yield return e;
            }
        }
    }

    /// <inheritdoc cref="IRecordReader.InteractionsByStartAsync"/>
    public async IAsyncEnumerable<InteractionRow> InteractionsByStartAsync(long accountId, long fromMs, long toMs, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var lease = await ReadAsync(scan: true, ct).ConfigureAwait(false);
        var c = lease.Connection;
        // Names are joined in memory: an account has few agents and bots, and a join per row costs more than the rest
        // of the scan.
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (id, name) in await ListAsync(c, null, r => (r.GetString(0), r.GetString(1)), "SELECT agent_id, name FROM agent_names WHERE account_id = $1", ct, accountId)
            .ConfigureAwait(false))
        {
            names[id] = name;
        }

        await using var cmd = Sql(c, null, $"""
            SELECT {DerivedRows.RecordColumns} FROM interactions
            WHERE account_id = $1 AND start_ms >= $2 AND start_ms < $3
            ORDER BY start_ms, interaction_id
            """, accountId, fromMs, toMs);
        await using var r = await cmd.ExecuteReaderAsync(CommandBehavior.SequentialAccess, ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            var record = DerivedRows.ReadRecord(r);
            yield return new InteractionRow(record, names.GetValueOrDefault(record.AgentId, ""));
        }
    }

    /// <inheritdoc cref="IRecordReader.FactsByStartAsync"/>
    public async IAsyncEnumerable<Fact> FactsByStartAsync(long accountId, AggregateKind kind, long fromMs, long toMs, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(kind);
        if (fromMs >= toMs)
        {
            yield break;
        }

        await using var lease = await ReadAsync(scan: true, ct).ConfigureAwait(false);
        // Engagements are keyed by start second: the range covers the seconds, the start_ms test cuts the ends.
        await using var cmd = kind == AggregateKind.Engagements
            ? Sql(lease.Connection, null, $"SELECT {AggregateReads.EngagementColumns} FROM engagements WHERE account_id = $1 AND start_second >= $2 AND start_second <= $3 AND start_ms >= $4 AND start_ms < $5",
                accountId, Time.FloorDiv(fromMs, 1000), Time.FloorDiv(toMs - 1, 1000), fromMs, toMs)
            : Sql(lease.Connection, null, $"SELECT {AggregateReads.InteractionColumns} FROM interactions WHERE account_id = $1 AND start_ms >= $2 AND start_ms < $3",
                accountId, fromMs, toMs);
        var interned = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            yield return AggregateReads.Read(r, kind, interned);
        }
    }
}
