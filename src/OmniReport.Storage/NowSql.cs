using System.Globalization;
using System.Text;
using OmniReport.Core.Events;

namespace OmniReport.Storage;

/// <summary>
/// The SQL of the "now" reads (SPEC §9), one text for both stores: positional <c>$n</c> parameters read alike in
/// PostgreSQL and SQLite. Each read is one statement, so its rows and its total (<c>COUNT(*) OVER ()</c>, taken before
/// the LIMIT) come from one snapshot.
/// </summary>
internal static class NowSql
{
    /// <summary>The statement and its parameter values after $1 (account), $2 (now ms), $3 (limit).</summary>
    public static (string Sql, List<string> Filters) OpenEngagements(NowQuery q) => Build(q, """
        SELECT i.open, COALESCE(n.name, ''), COUNT(*) OVER ()
        FROM interactions i LEFT JOIN agent_names n ON n.account_id = i.account_id AND n.agent_id = i.open_agent_id
        WHERE i.account_id = $1 AND i.open_start_ms IS NOT NULL AND i.open_start_ms <= $2
          AND (i.deadline_ms IS NULL OR i.deadline_ms > $2)
        """, "i.interaction_type", "i.open_group_id", "i.open_start_ms, i.open_engagement_id");

    /// <summary>The statement and its parameter values after $1 (account), $2 (now ms), $3 (limit).</summary>
    // The status literal matches the partial index interactions_waiting (SQLite uses a partial index only when the
    // query repeats its condition).
    public static (string Sql, List<string> Filters) WaitingInteractions(NowQuery q) => Build(q, """
        SELECT interaction_id, interaction_type, groups, start_ms, COUNT(*) OVER ()
        FROM interactions
        WHERE account_id = $1 AND interaction_status = 'OFFERED' AND start_ms <= $2
        """, "interaction_type", "group_id", "start_ms, interaction_id");

    private static (string, List<string>) Build(NowQuery q, string select, string channelColumn, string groupColumn, string order)
    {
        var sql = new StringBuilder(select);
        var values = new List<string>();
        void Filter(string column, string value)
        {
            values.Add(value);
            sql.Append(CultureInfo.InvariantCulture, $" AND {column} = ${3 + values.Count}");
        }

        if (q.Channel is { } channel)
        {
            Filter(channelColumn, Vocabulary.Upper(channel));
        }

        if (q.GroupId is { } group)
        {
            Filter(groupColumn, group);
        }

        sql.Append(CultureInfo.InvariantCulture, $" ORDER BY {order} LIMIT $3");
        return (sql.ToString(), values);
    }
}
