namespace OmniReport.Storage.Sql;

/// <summary>The migration runner: the dialect's embedded SQL files, in version order, each recorded once.</summary>
public abstract partial class SqlStore
{
    /// <summary>Applies the schema migrations not yet recorded. Idempotent; safe from several processes.</summary>
    public async Task MigrateAsync(CancellationToken ct = default)
    {
        if (Dialect.MigrationPreamble is { } preamble)
        {
            await using var lease = await ReadAsync(scan: false, ct).ConfigureAwait(false);
            await ExecAsync(lease.Connection, null, preamble, ct).ConfigureAwait(false);
        }

        await WriteAsync(async (c, tx) =>
        {
            if (Dialect.MigrationLock is { } lockSql)
            {
                await ExecAsync(c, tx, lockSql, ct).ConfigureAwait(false);
            }

            await ExecAsync(c, tx, $"CREATE TABLE IF NOT EXISTS schema_migrations (version {Dialect.IntType} PRIMARY KEY, name {Dialect.TextType} NOT NULL, applied_at_ms {Dialect.BigIntType} NOT NULL)", ct).ConfigureAwait(false);
            var applied = (await ListAsync(c, tx, r => r.GetInt32(0), "SELECT version FROM schema_migrations", ct).ConfigureAwait(false)).ToHashSet();
            foreach (var (version, name, sql) in Migrations.For(Dialect.MigrationsFolder))
            {
                if (applied.Contains(version))
                {
                    continue;
                }

                await ExecAsync(c, tx, sql, ct).ConfigureAwait(false);
                await ExecAsync(c, tx, "INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES ($1, $2, $3)", ct, version, name, NowMs).ConfigureAwait(false);
            }

            return true;
        }, bulk: false, ct).ConfigureAwait(false);
    }
}
