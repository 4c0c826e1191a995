using System.Runtime.CompilerServices;
using Npgsql;
using OmniReport.Core.Reports;

namespace OmniReport.Storage.Postgres;

/// <summary>A done report job's file, read the PostgreSQL way (the queue itself is <see cref="Sql.SqlStore"/>'s).</summary>
public sealed partial class PostgresStore
{
    /// <inheritdoc />
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadReportFileAsync(long accountId, ReportType type, string jobId, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var c = await _source.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand(ReportFileParts, c);
        Add(cmd, jobId, accountId, (short)type);
        await using var r = await cmd.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, ct).ConfigureAwait(false);
        var buffer = new byte[64 * 1024];
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            // Streamed out in chunks into one reused buffer: each chunk is valid until the next is asked for.
            await using var part = await r.GetStreamAsync(0, ct).ConfigureAwait(false);
            int n;
            while ((n = await part.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
            {
                yield return buffer.AsMemory(0, n);
            }
        }
    }
}
