using System.Data.Common;

namespace OmniReport.Storage;

/// <summary>
/// The change log read back, in either dialect. An entry keeps what changed (kind and key), not the object: a reader gets
/// the engagement or record as it is now, read by key in the same statement (one snapshot). So a replay sends each
/// object's newest version, and an entry whose object has gone since (an engagement unlogged, a record removed, by a
/// later entry of the log) comes back superseded, without one (<see cref="Change.Superseded"/>).
/// </summary>
internal static class ChangeRows
{
    /// <summary>The entries of $1 account after $2 sequence, at most $3, in order, with their objects now.</summary>
    public static readonly string Select = $"""
        SELECT c.seq, c.at_ms, c.kind, c.key, {DerivedRows.Qualified("e", DerivedRows.EngagementColumns)}, {DerivedRows.Qualified("i", DerivedRows.RecordColumns)}
        FROM changes c
        LEFT JOIN engagements e ON c.kind = '{ChangeKinds.Name(ChangeKind.EngagementLogged)}' AND e.account_id = c.account_id AND e.engagement_id = c.key
        LEFT JOIN interactions i ON c.kind = '{ChangeKinds.Name(ChangeKind.InteractionUpdated)}' AND i.account_id = c.account_id AND i.interaction_id = c.key
            AND i.start_ms IS NOT NULL
        WHERE c.account_id = $1 AND c.seq > $2 ORDER BY c.seq LIMIT $3
        """;

    private const int EngagementAt = 4;
    private static readonly int RecordAt = EngagementAt + DerivedRows.EngagementColumns.Split(',').Length;

    /// <summary>The entry in the current row of <see cref="Select"/>.</summary>
    public static Change Read(DbDataReader r)
    {
        var kind = ChangeKinds.Parse(r.GetString(2));
        return new Change(
            r.GetInt64(0),
            kind,
            r.GetString(3),
            r.GetInt64(1),
            kind == ChangeKind.EngagementLogged && !r.IsDBNull(EngagementAt) ? DerivedRows.ReadEngagement(r, EngagementAt) : null,
            kind == ChangeKind.InteractionUpdated && !r.IsDBNull(RecordAt) ? DerivedRows.ReadRecord(r, RecordAt) : null);
    }
}
