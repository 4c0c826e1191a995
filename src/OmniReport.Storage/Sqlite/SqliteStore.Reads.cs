using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Data.Sqlite;
using OmniReport.Core.Aggregates;
using OmniReport.Core.Derivation;
using OmniReport.Core.Events;
using OmniReport.Storage.Codec;

namespace OmniReport.Storage.Sqlite;

public sealed partial class SqliteStore
{
    /// <inheritdoc />
    public async IAsyncEnumerable<Engagement> QueryEngagementsAsync(long accountId, EngagementQuery query, [EnumeratorCancellation] CancellationToken ct = default)
    {
        using var c = Open();
        // With a ticket: one snapshot for the interaction's engagement ids and the engagements themselves,
        // which are then found by id (there is no index by ticket; without statistics the planner would
        // rather walk the account's engagements in order).
        using var tx = query.TicketId is null ? null : c.BeginTransaction(deferred: true);
        using var cmd = Command(c, tx, "");
        var sql = new StringBuilder(query.TicketId is null
            ? "SELECT data FROM engagements WHERE account_id = $a"
            : "SELECT data FROM engagements INDEXED BY engagements_by_id WHERE account_id = $a");
        cmd.Parameters.AddWithValue("$a", accountId);
        if (query.StartTimeFrom is { } from)
        {
            sql.Append(" AND start_second >= $from");
            cmd.Parameters.AddWithValue("$from", from);
        }

        if (query.StartTimeBefore is { } before)
        {
            sql.Append(" AND start_second < $before");
            cmd.Parameters.AddWithValue("$before", before);
        }

        if (query.AgentId is { } agent)
        {
            sql.Append(" AND agent_id = $agent");
            cmd.Parameters.AddWithValue("$agent", agent);
        }

        if (query.TicketId is { } ticket)
        {
            var ids = TicketEngagementIds(c, tx!, accountId, ticket);
            if (ids.Length == 0)
            {
                yield break;
            }

            sql.Append(" AND engagement_id IN (SELECT value FROM json_each($ids)) AND interaction_id = $ticket");
            cmd.Parameters.AddWithValue("$ids", System.Text.Json.JsonSerializer.Serialize(ids));
            cmd.Parameters.AddWithValue("$ticket", ticket);
        }

        if (query.GroupId is { } group)
        {
            sql.Append(" AND group_id = $group");
            cmd.Parameters.AddWithValue("$group", group);
        }

        if (query.Channel is { } channel)
        {
            sql.Append(" AND channel = $channel");
            cmd.Parameters.AddWithValue("$channel", Vocabulary.Upper(channel));
        }

        if (query.After is { } after)
        {
            sql.Append(" AND (start_second, engagement_id) > ($cs, $ce)");
            cmd.Parameters.AddWithValue("$cs", after.StartSecond);
            cmd.Parameters.AddWithValue("$ce", after.EngagementId);
        }

        sql.Append(" ORDER BY start_second, engagement_id LIMIT $limit");
        cmd.Parameters.AddWithValue("$limit", query.Limit);
        cmd.CommandText = sql.ToString();
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            ct.ThrowIfCancellationRequested();
            yield return RecordCodec.ReadEngagement((byte[])r.GetValue(0));
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    private static string[] TicketEngagementIds(SqliteConnection c, SqliteTransaction tx, long accountId, string ticket)
    {
        using var cmd = Command(c, tx, "SELECT engagements FROM interactions WHERE account_id = $a AND interaction_id = $i");
        cmd.Parameters.AddWithValue("$a", accountId);
        cmd.Parameters.AddWithValue("$i", ticket);
        return cmd.ExecuteScalar() is byte[] digest ? RecordCodec.DigestIds(digest) : [];
    }

    /// <inheritdoc />
    public Task<Engagement?> GetEngagementAsync(long accountId, string engagementId, CancellationToken ct = default)
    {
        using var c = Open();
        using var cmd = Command(c, null, "SELECT data FROM engagements WHERE account_id = $a AND engagement_id = $id");
        cmd.Parameters.AddWithValue("$a", accountId);
        cmd.Parameters.AddWithValue("$id", engagementId);
        return Task.FromResult(cmd.ExecuteScalar() is byte[] data ? RecordCodec.ReadEngagement(data) : null);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<Engagement> EngagementsByStartAsync(long accountId, long fromMs, long toMs, [EnumeratorCancellation] CancellationToken ct = default)
    {
        if (fromMs >= toMs)
        {
            yield break;
        }

        using var scan = OpenForScan();
        var c = scan.Connection;
        using var cmd = Command(c, null, """
            SELECT data FROM engagements WHERE account_id = $a AND start_second >= $from AND start_second <= $to
            ORDER BY start_second, engagement_id
            """);
        cmd.Parameters.AddWithValue("$a", accountId);
        cmd.Parameters.AddWithValue("$from", Time.FloorDiv(fromMs, 1000));
        cmd.Parameters.AddWithValue("$to", Time.FloorDiv(toMs - 1, 1000));
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            ct.ThrowIfCancellationRequested();
            var e = RecordCodec.ReadEngagement((byte[])r.GetValue(0));
            if (e.StartMs >= fromMs && e.StartMs < toMs)
            {
                yield return e;
            }
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<InteractionRow> InteractionsByStartAsync(long accountId, long fromMs, long toMs, [EnumeratorCancellation] CancellationToken ct = default)
    {
        using var scan = OpenForScan();
        var c = scan.Connection;
        // Names are joined in memory: an account has few agents and bots, and a join per row costs more than the
        // rest of the scan.
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var n = Command(c, null, "SELECT agent_id, name FROM agent_names WHERE account_id = $a"))
        {
            n.Parameters.AddWithValue("$a", accountId);
            using var nr = n.ExecuteReader();
            while (nr.Read())
            {
                names[nr.GetString(0)] = nr.GetString(1);
            }
        }

        using var cmd = Command(c, null, """
            SELECT record FROM interactions
            WHERE account_id = $a AND start_ms >= $from AND start_ms < $to
            ORDER BY start_ms, interaction_id
            """);
        cmd.Parameters.AddWithValue("$a", accountId);
        cmd.Parameters.AddWithValue("$from", fromMs);
        cmd.Parameters.AddWithValue("$to", toMs);
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            ct.ThrowIfCancellationRequested();
            var record = RecordCodec.ReadRecord((byte[])r.GetValue(0));
            yield return new InteractionRow(record, names.GetValueOrDefault(record.AgentId, ""));
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<Fact> FactsByStartAsync(long accountId, AggregateKind kind, long fromMs, long toMs, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(kind);
        await Task.CompletedTask.ConfigureAwait(false);
        using var scan = OpenForScan();
        var engagements = kind == AggregateKind.Engagements;
        // Engagements are keyed by start second: the range covers the seconds, the start_ms test cuts the ends.
        using var cmd = Command(scan.Connection, null, engagements
            ? $"SELECT {AggregateReads.EngagementColumns} FROM engagements WHERE account_id = $a AND start_second >= $from AND start_second <= $to AND start_ms >= $fromMs AND start_ms < $toMs"
            : $"SELECT {AggregateReads.InteractionColumns} FROM interactions WHERE account_id = $a AND start_ms >= $fromMs AND start_ms < $toMs");
        cmd.Parameters.AddWithValue("$a", accountId);
        if (engagements)
        {
            cmd.Parameters.AddWithValue("$from", Time.FloorDiv(fromMs, 1000));
            cmd.Parameters.AddWithValue("$to", Time.FloorDiv(toMs - 1, 1000));
        }

        cmd.Parameters.AddWithValue("$fromMs", fromMs);
        cmd.Parameters.AddWithValue("$toMs", toMs);
        var interned = new Dictionary<string, string>(StringComparer.Ordinal);
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            ct.ThrowIfCancellationRequested();
            yield return AggregateReads.Read(r, kind, interned);
        }
    }
}
