using System.Data.Common;
using System.Globalization;
using System.Text;
using OmniReport.Core.Aggregates;
using OmniReport.Storage.Codec;

namespace OmniReport.Storage.Sql;

/// <summary>The reads of rollups (issue #11), the same SQL in both stores; their writes are each store's.</summary>
public abstract partial class SqlStore
{
    /// <summary>Starts per statement when cells are named one by one.</summary>
    private const int RollupStartsPerRead = 500;

    /// <inheritdoc cref="IRecordReader.ReadRollupsAsync"/>
    public async Task<bool> ReadRollupsAsync(long accountId, RollupQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var lease = await ReadAsync(scan: true, ct).ConfigureAwait(false);
        var c = lease.Connection;
        // One snapshot: the rollups are complete in it (no rebuild under way, the account's format current), and the
        // cells are read as they were then.
        await using var tx = await BeginSnapshotAsync(c, ct).ConfigureAwait(false);
        var incomplete = await ScalarAsync(c, tx, """
            SELECT (SELECT count(*) FROM rebuilds WHERE account_id = $1) + (SELECT count(*) FROM accounts WHERE id = $1 AND projection_format < $2)
            """, ct, accountId, ProjectionFormat.Current).ConfigureAwait(false);
        if (Convert.ToInt64(incomplete, CultureInfo.InvariantCulture) > 0)
        {
            return false;
        }

        var fields = query.Shape.DimensionSets[query.DimensionSet].Length;
        // Each key is read and filtered once: key text → answer group (−1: filtered out, its cells not decoded).
        var groups = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (tier, starts) in query.Starts)
        {
            var length = RollupShape.Length(tier);
            for (var from = 0; from < starts.Length; from += RollupStartsPerRead)
            {
                var part = starts[from..Math.Min(from + RollupStartsPerRead, starts.Length)];
                var wanted = part.ToHashSet();
                await using var cmd = Sql(c, tx, "", accountId, query.Shape.Id, query.DimensionSet, (int)tier);
                var sql = new StringBuilder("SELECT start_ms, key, data FROM rollups WHERE account_id = $1 AND kind = $2 AND dims = $3 AND tier = $4 AND ");
                if ((part[^1] - part[0]) / length < 2L * part.Length)
                {
                    // Mostly consecutive cells: one range.
                    sql.Append("start_ms >= ").Append(Bind(cmd, part[0])).Append(" AND start_ms <= ").Append(Bind(cmd, part[^1]));
                }
                else
                {
                    // Scattered cells (a quarter hour at each day's edge): named one by one; they are numbers this
                    // code made, written into the text.
                    sql.Append("start_ms IN (").AppendJoin(", ", part.Select(s => s.ToString(CultureInfo.InvariantCulture))).Append(')');
                }

                cmd.CommandText = sql.ToString();
                await ReadRollupRowsAsync(cmd, (long start, string key, ReadOnlySpan<byte> data) =>
                {
                    if (!wanted.Contains(start))
                    {
                        return;
                    }

                    if (!groups.TryGetValue(key, out var group))
                    {
                        groups.Add(key, group = query.GroupOf(RollupCodec.ReadKey(key, fields)));
                    }

                    if (group >= 0)
                    {
                        query.Add(tier, start, group, RollupCodec.Read(query.Cells, data));
                    }
                }, ct).ConfigureAwait(false);
            }
        }

        return true;
    }

    /// <summary>One row of a rollup read: its start, its key text and its data (valid during the call only).</summary>
    private protected delegate void RollupRow(long start, string key, ReadOnlySpan<byte> data);

    /// <summary>Runs <paramref name="cmd"/> (start_ms, key, data) and gives each row to <paramref name="row"/>.</summary>
    private protected virtual async Task ReadRollupRowsAsync(DbCommand cmd, RollupRow row, CancellationToken ct)
    {
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            row(r.GetInt64(0), r.GetString(1), r.GetFieldValue<byte[]>(2));
        }
    }

    /// <summary>Every rollup row of an account, for tests that compare them with a recomputation from the records.</summary>
    internal async Task<List<(int Kind, int Dims, int Tier, long Start, string Key, byte[] Data)>> RollupRowsAsync(long accountId, CancellationToken ct = default)
    {
        await using var lease = await ReadAsync(scan: true, ct).ConfigureAwait(false);
        return await ListAsync(lease.Connection, null, r => (r.GetInt32(0), r.GetInt32(1), r.GetInt32(2), r.GetInt64(3), r.GetString(4), r.GetFieldValue<byte[]>(5)),
            "SELECT kind, dims, tier, start_ms, key, data FROM rollups WHERE account_id = $1", ct, accountId).ConfigureAwait(false);
    }
}
