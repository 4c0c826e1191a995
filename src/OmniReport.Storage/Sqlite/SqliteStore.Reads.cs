using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Data.Sqlite;
using OmniReport.Core.Derivation;
using OmniReport.Storage.Codec;

namespace OmniReport.Storage.Sqlite;

public sealed partial class SqliteStore
{
    /// <inheritdoc />
    public async IAsyncEnumerable<Engagement> QueryEngagementsAsync(long accountId, EngagementQuery query, [EnumeratorCancellation] CancellationToken ct = default)
    {
        using var c = Open();
        using var cmd = Command(c, null, "");
        var sql = new StringBuilder("SELECT data FROM engagements WHERE account_id = $a");
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
            sql.Append(" AND interaction_id = $ticket");
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
            cmd.Parameters.AddWithValue("$channel", (int)channel);
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
        cmd.Parameters.AddWithValue("$from", FloorSecond(fromMs));
        cmd.Parameters.AddWithValue("$to", FloorSecond(toMs - 1));
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
        using var cmd = Command(c, null, """
            SELECT i.record, n.name FROM interactions i
            LEFT JOIN agent_names n ON n.account_id = i.account_id AND n.agent_id = i.agent_id
            WHERE i.account_id = $a AND i.start_ms >= $from AND i.start_ms < $to
            ORDER BY i.start_ms, i.interaction_id
            """);
        cmd.Parameters.AddWithValue("$a", accountId);
        cmd.Parameters.AddWithValue("$from", fromMs);
        cmd.Parameters.AddWithValue("$to", toMs);
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            ct.ThrowIfCancellationRequested();
            var record = RecordCodec.ReadRecord((byte[])r.GetValue(0));
            yield return new InteractionRow(record, record.AgentId.Length == 0 || r.IsDBNull(1) ? "" : r.GetString(1));
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    internal static long FloorSecond(long ms) => ms >= 0 || ms % 1000 == 0 ? ms / 1000 : (ms / 1000) - 1;
}
