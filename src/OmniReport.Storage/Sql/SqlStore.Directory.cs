namespace OmniReport.Storage.Sql;

/// <summary>Names of agents and groups, for people reading ids (the dashboard's agents table and group control).</summary>
public abstract partial class SqlStore
{
    /// <inheritdoc cref="IRecordReader.AgentsAsync"/>
    public async Task<IReadOnlyList<AgentEntry>> AgentsAsync(long accountId, CancellationToken ct = default)
    {
        await using var lease = await ReadAsync(scan: false, ct).ConfigureAwait(false);
        var rows = await ListAsync(lease.Connection, null, r => new AgentEntry(r.GetString(0), r.GetString(1)),
            "SELECT agent_id, name FROM agent_names WHERE account_id = $1 AND name <> ''", ct, accountId).ConfigureAwait(false);
        // Ordered here, not in SQL: the two stores' collations differ, the ordinal order does not.
        rows.Sort((a, b) => string.CompareOrdinal(a.AgentId, b.AgentId));
        return rows;
    }

    /// <inheritdoc cref="IRecordReader.GroupsAsync"/>
    // One scan of the account's interaction rows and one of the engagements' group index: the dashboard reads this once
    // a page load, not once a view.
    public async Task<IReadOnlyList<GroupEntry>> GroupsAsync(long accountId, CancellationToken ct = default)
    {
        await using var lease = await ReadAsync(scan: true, ct).ConfigureAwait(false);
        var c = lease.Connection;
        var texts = await ListAsync(c, null, r => (Group: r.GetString(0), Text: r.GetString(1), Count: r.GetInt64(2)), """
            SELECT group_id, groups, COUNT(*) FROM interactions
            WHERE account_id = $1 AND start_ms IS NOT NULL AND group_id IS NOT NULL AND groups IS NOT NULL
            GROUP BY group_id, groups
            """, ct, accountId).ConfigureAwait(false);
        var ids = await ListAsync(c, null, r => r.GetString(0),
            "SELECT DISTINCT group_id FROM engagements WHERE account_id = $1 AND group_id IS NOT NULL", ct, accountId).ConfigureAwait(false);
        return [.. texts.Select(t => t.Group).Concat(ids).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(id => new GroupEntry(id, [.. texts.Where(t => t.Group == id)
                .OrderByDescending(t => t.Count).ThenBy(t => t.Text, StringComparer.Ordinal).Select(t => t.Text)]))];
    }
}
