namespace OmniReport.Storage.Sql;

/// <summary>The projection's reads: accounts' formats, rebuild progress, the change log (its writes are each store's).</summary>
public abstract partial class SqlStore
{
    /// <inheritdoc cref="IProjectionStore.ListProjectionsAsync"/>
    public async Task<IReadOnlyList<AccountProjection>> ListProjectionsAsync(CancellationToken ct = default)
    {
        await using var lease = await ReadAsync(scan: false, ct).ConfigureAwait(false);
        return await ListAsync(lease.Connection, null, r => new AccountProjection(new Account(r.GetInt64(0), r.GetString(1)), r.GetInt32(2), r.GetBoolean(3), r.GetBoolean(4)), """
            SELECT a.id, a.name, a.projection_format, r.account_id IS NOT NULL AND r.rollups_only = FALSE, r.account_id IS NOT NULL AND r.rollups_only = TRUE
            FROM accounts a
            LEFT JOIN rebuilds r ON r.account_id = a.id ORDER BY a.id
            """, ct).ConfigureAwait(false);
    }

    /// <inheritdoc cref="IProjectionStore.RebuildProgressAsync"/>
    public async Task<(long Total, long Done)> RebuildProgressAsync(long accountId, CancellationToken ct = default)
    {
        await using var lease = await ReadAsync(scan: false, ct).ConfigureAwait(false);
        var rows = await ListAsync(lease.Connection, null, r => (r.GetInt64(0), r.GetInt64(1)), """
            SELECT count(*), count(*) FILTER (WHERE interaction_id <= coalesce((SELECT after FROM rebuilds WHERE account_id = $1), ''))
            FROM interactions WHERE account_id = $1
            """, ct, accountId).ConfigureAwait(false);
        return rows[0];
    }

    /// <inheritdoc cref="IProjectionStore.ReadChangesAsync"/>
    public async Task<IReadOnlyList<Change>> ReadChangesAsync(long accountId, long afterSequence, int limit, CancellationToken ct = default)
    {
        await using var lease = await ReadAsync(scan: false, ct).ConfigureAwait(false);
        return await ListAsync(lease.Connection, null, ChangeRows.Read, ChangeRows.Select, ct, accountId, afterSequence, limit).ConfigureAwait(false);
    }
}
