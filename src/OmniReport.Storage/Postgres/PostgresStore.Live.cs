using Npgsql;

namespace OmniReport.Storage.Postgres;

public sealed partial class PostgresStore
{
    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, string>> AgentNamesAsync(long accountId, CancellationToken ct = default)
    {
        await using var cmd = _source.CreateCommand("SELECT agent_id, name FROM agent_names WHERE account_id = $1");
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = accountId });
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            names[r.GetString(0)] = r.GetString(1);
        }

        return names;
    }
}
