using System.Runtime.CompilerServices;
using OmniReport.Core.Reports;

namespace OmniReport.Storage.Sqlite;

/// <summary>A done report job's file, read the SQLite way (the queue itself is <see cref="Sql.SqlStore"/>'s).</summary>
public sealed partial class SqliteStore
{
    private const int ReportFileChunk = 64 * 1024;

    /// <inheritdoc />
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadReportFileAsync(long accountId, ReportType type, string jobId, [EnumeratorCancellation] CancellationToken ct = default)
    {
        using var scan = OpenForScan();
        using var cmd = Sql(scan.Connection, null, ReportFileParts, jobId, accountId, (short)type);
        using var r = cmd.ExecuteReader();
        var buffer = new byte[ReportFileChunk];
        while (r.Read())
        {
            // Copied out in chunks into one reused buffer (a part's blob is read where it lies, not copied whole): each
            // chunk is valid until the next is asked for.
            for (long offset = 0; ; offset += buffer.Length)
            {
                ct.ThrowIfCancellationRequested();
                var n = (int)r.GetBytes(0, offset, buffer, 0, buffer.Length);
                if (n <= 0)
                {
                    break;
                }

                yield return buffer.AsMemory(0, n);
            }
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }
}
