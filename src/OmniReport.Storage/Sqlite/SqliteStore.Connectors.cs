namespace OmniReport.Storage.Sqlite;

/// <summary>Connector secrets (SPEC §10).</summary>
public sealed partial class SqliteStore
{
    /// <inheritdoc />
    public async Task SetConnectorSecretAsync(long accountId, string connector, string? secret, CancellationToken ct = default)
    {
        await _write.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            using var c = Open();
            using var tx = c.BeginTransaction(deferred: false);
            RequireAccount(c, tx, accountId);
            using var cmd = Command(c, tx, secret is null
                ? "DELETE FROM connector_secrets WHERE account_id = $a AND connector = $c"
                : "INSERT INTO connector_secrets (account_id, connector, secret, updated_at_ms) VALUES ($a, $c, $s, $t) "
                    + "ON CONFLICT (account_id, connector) DO UPDATE SET secret = excluded.secret, updated_at_ms = excluded.updated_at_ms");
            cmd.Parameters.AddWithValue("$a", accountId);
            cmd.Parameters.AddWithValue("$c", connector);
            if (secret is not null)
            {
                cmd.Parameters.AddWithValue("$s", secret);
                cmd.Parameters.AddWithValue("$t", NowMs);
            }

            cmd.ExecuteNonQuery();
            tx.Commit();
        }
        finally
        {
            _write.Release();
        }
    }

    /// <inheritdoc />
    public Task<string?> GetConnectorSecretAsync(long accountId, string connector, CancellationToken ct = default)
    {
        using var c = Open();
        using var cmd = Command(c, null, "SELECT secret FROM connector_secrets WHERE account_id = $a AND connector = $c");
        cmd.Parameters.AddWithValue("$a", accountId);
        cmd.Parameters.AddWithValue("$c", connector);
        return Task.FromResult(cmd.ExecuteScalar() as string);
    }
}
