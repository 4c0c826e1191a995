using Npgsql;

namespace OmniReport.Storage.Postgres;

/// <summary>Connector secrets (SPEC §10).</summary>
public sealed partial class PostgresStore
{
    /// <inheritdoc />
    public async Task SetConnectorSecretAsync(long accountId, string connector, string? secret, CancellationToken ct = default)
    {
        await using var cmd = _source.CreateCommand(secret is null
            ? "DELETE FROM connector_secrets WHERE account_id = $1 AND connector = $2"
            : "INSERT INTO connector_secrets (account_id, connector, secret, updated_at_ms) VALUES ($1, $2, $3, $4) "
                + "ON CONFLICT (account_id, connector) DO UPDATE SET secret = excluded.secret, updated_at_ms = excluded.updated_at_ms");
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = accountId });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = connector });
        if (secret is not null)
        {
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = secret });
            cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = NowMs });
        }

        try
        {
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            throw new KeyNotFoundException($"no account with id {accountId}");
        }
    }

    /// <inheritdoc />
    public async Task<string?> GetConnectorSecretAsync(long accountId, string connector, CancellationToken ct = default)
    {
        await using var cmd = _source.CreateCommand("SELECT secret FROM connector_secrets WHERE account_id = $1 AND connector = $2");
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = accountId });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = connector });
        return await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) as string;
    }
}
