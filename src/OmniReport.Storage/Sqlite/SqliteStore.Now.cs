using Microsoft.Data.Sqlite;
using OmniReport.Core.Events;
using OmniReport.Storage.Codec;

namespace OmniReport.Storage.Sqlite;

public sealed partial class SqliteStore
{
    /// <inheritdoc />
    public Task<NowPage<OpenEngagementRow>> OpenEngagementsAsync(long accountId, NowQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var rows = new List<OpenEngagementRow>();
        long count = 0;
        using var c = Open();
        using var cmd = NowCommand(c, accountId, query, NowSql.OpenEngagements(query));
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            ct.ThrowIfCancellationRequested();
            rows.Add(new OpenEngagementRow(RecordCodec.ReadOpen((byte[])r.GetValue(0)), r.GetString(1)));
            count = r.GetInt64(2);
        }

        return Task.FromResult(new NowPage<OpenEngagementRow>(rows, count));
    }

    /// <inheritdoc />
    public Task<NowPage<WaitingInteraction>> WaitingInteractionsAsync(long accountId, NowQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var rows = new List<WaitingInteraction>();
        long count = 0;
        using var c = Open();
        using var cmd = NowCommand(c, accountId, query, NowSql.WaitingInteractions(query));
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            ct.ThrowIfCancellationRequested();
            Vocabulary.TryChannelIgnoreCase(r.GetString(1), out var channel);
            rows.Add(new WaitingInteraction(r.GetString(0), channel, r.GetString(2), r.GetInt64(3)));
            count = r.GetInt64(4);
        }

        return Task.FromResult(new NowPage<WaitingInteraction>(rows, count));
    }

    private static SqliteCommand NowCommand(SqliteConnection c, long accountId, NowQuery query, (string Sql, List<string> Filters) statement)
    {
        var cmd = Command(c, null, statement.Sql);
        cmd.Parameters.AddWithValue("$1", accountId);
        cmd.Parameters.AddWithValue("$2", query.NowMs);
        cmd.Parameters.AddWithValue("$3", query.Limit);
        for (var k = 0; k < statement.Filters.Count; k++)
        {
            cmd.Parameters.AddWithValue("$" + (4 + k).ToString(System.Globalization.CultureInfo.InvariantCulture), statement.Filters[k]);
        }

        return cmd;
    }
}
