using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;
using OmniReport.Core.Reports;

namespace OmniReport.Storage.Tests;

/// <summary>Migration 111: report-job statuses stored as ordinals by the previous binary are served by name after it.</summary>
public abstract partial class StoreContractTests
{
    /// <summary>
    /// A database written before migration 111, holding a job of every status as the previous binary stored it
    /// (status 0 created, 1 processing, 2 done, 3 failed, 4 canceled: the ordinals of migration 100), is migrated on
    /// first start: every job is served with its status, the waiting and the expired ones are claimed in the order they
    /// were before, one still leased is not until its lease runs out, the done one's file is served.
    /// </summary>
    [StoreFact]
    public async Task Jobs_stored_with_ordinal_statuses_before_migration_111_are_served_and_claimed_as_before()
    {
        var now = new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
        var nowMs = now.ToUnixTimeMilliseconds();
        var db = await NewDatabaseAsync();
        // id, stored status ordinal, minutes before now it was created, attempt, lease end (ms), rows, error
        (string Id, int Status, int MinutesAgo, int Attempt, long? LeaseUntilMs, long? Rows, string? Error)[] jobs =
        [
            ("00000000000000000000000000000001", 1, 30, 1, nowMs + 60_000, null, null), // processing, leased for another minute
            ("00000000000000000000000000000002", 1, 20, 1, nowMs - 1_000, null, null),  // processing, its worker died
            ("00000000000000000000000000000003", 0, 10, 0, null, null, null),           // created
            ("00000000000000000000000000000004", 0, 5, 0, null, null, null),            // created
            ("00000000000000000000000000000005", 2, 40, 1, null, 3, null),              // done
            ("00000000000000000000000000000006", 3, 50, 2, null, null, "the disk was full"), // failed
            ("00000000000000000000000000000007", 4, 60, 1, null, null, null),           // canceled
        ];
        var accountId = await BuildPre111DatabaseAsync(db, jobs.Select(j =>
            $"('{j.Id}', $1, {(int)ReportType.Interactions}, 'j{j.Id[^1]}', 'UTC', {(int)ReportFormat.Csv}, '2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z', " +
            $"1767225600000, 1769904000000, {j.Status}, {j.Attempt}, {Sql(j.LeaseUntilMs)}, {Sql(j.Rows)}, {(j.Error is null ? "NULL" : $"'{j.Error}'")}, " +
            $"{nowMs - (j.MinutesAgo * 60_000L)}, {nowMs - (j.MinutesAgo * 60_000L)})"));

        var time = new ManualTimeProvider(now);
        var store = await OpenAsync(db, time);
        var expected = new[]
        {
            ReportJobStatus.Processing, ReportJobStatus.Processing, ReportJobStatus.Created, ReportJobStatus.Created,
            ReportJobStatus.Done, ReportJobStatus.Failed, ReportJobStatus.Canceled,
        };
        for (var k = 0; k < jobs.Length; k++)
        {
            var job = await store.GetReportJobAsync(accountId, ReportType.Interactions, jobs[k].Id);
            Assert.Equal((expected[k], jobs[k].Attempt, jobs[k].Rows, jobs[k].Error), (job!.Status, job.Attempt, job.Rows, job.Error));
        }

        var page = await store.ListReportJobsAsync(accountId, ReportType.Interactions, 1, 100);
        Assert.Equal(7, page.Total);
        Assert.Equal(expected.Select((s, k) => (jobs[k].Id, s)).OrderByDescending(j => j.Id), page.Jobs.Select(j => (j.Id, j.Status)).OrderByDescending(j => j.Id));

        using (var file = new MemoryStream())
        {
            await ReportJobFiles.CopyAsync(store, accountId, ReportType.Interactions, jobs[4].Id, file);
            Assert.Equal("interaction_id\nA\nB\nC\n", Encoding.UTF8.GetString(file.ToArray()));
        }

        // Oldest first among the claimable: the expired claim (a new attempt), then the two waiting jobs.
        var claimed = new List<(string, int)>();
        while (await store.ClaimReportJobAsync(TimeSpan.FromSeconds(30)) is { } claim)
        {
            claimed.Add((claim.Id, claim.Attempt));
        }

        Assert.Equal([(jobs[1].Id, 2), (jobs[2].Id, 1), (jobs[3].Id, 1)], claimed);
        time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal((jobs[0].Id, 2), await store.ClaimReportJobAsync(TimeSpan.FromSeconds(30)) is { } late ? (late.Id, late.Attempt) : default);

        // The finished ones are what retention deletes; the others are not.
        Assert.Equal(3, await store.DeleteExpiredReportJobsAsync(nowMs + 1));
        Assert.Equal(4, (await store.ListReportJobsAsync(accountId, ReportType.Interactions, 1, 100)).Total);
    }

    private static string Sql(long? value) => value is { } v ? v.ToString(CultureInfo.InvariantCulture) : "NULL";

    /// <summary>
    /// Writes a database as the binary before migration 111 left it: the migrations before 111, one account "jobs",
    /// its report jobs as the given VALUES rows ($1 the account) and a one-part file for the done job (…05). Returns the account id.
    /// </summary>
    private static async Task<long> BuildPre111DatabaseAsync(string db, IEnumerable<string> jobRows)
    {
        var postgres = StoreFactory.IsPostgres(db);
        await using DbConnection c = postgres ? new NpgsqlConnection(db) : new SqliteConnection($"Data Source={db}");
        await c.OpenAsync();
        await ExecAsync(c, postgres, "CREATE TABLE schema_migrations (version int PRIMARY KEY, name text NOT NULL, applied_at_ms bigint NOT NULL)");
        foreach (var (version, name, sql) in Migrations.For(postgres ? "postgres" : "sqlite").Where(m => m.Version < 111))
        {
            await ExecAsync(c, postgres, sql);
            await ExecAsync(c, postgres, "INSERT INTO schema_migrations VALUES ($1, $2, 0)", version, name);
        }

        await ExecAsync(c, postgres, $"INSERT INTO accounts (name, created_at_ms, projection_format) VALUES ('jobs', 0, {ProjectionFormat.Current})");
        var accountId = Convert.ToInt64(await ScalarAsync(c, "SELECT id FROM accounts WHERE name = 'jobs'"), CultureInfo.InvariantCulture);
        await ExecAsync(c, postgres, $"""
            INSERT INTO report_jobs (id, account_id, type, name, timezone, format, from_text, to_text, from_ms, to_ms, status, attempt,
                                     lease_until_ms, rows, error, created_at_ms, updated_at_ms)
            VALUES {string.Join(",\n", jobRows)}
            """, accountId);
        await ExecAsync(c, postgres, "INSERT INTO report_files (job_id, attempt, part, data) VALUES ('00000000000000000000000000000005', 1, 0, $1)",
            ReportJobFiles.Pack("interaction_id\nA\nB\nC\n"u8));
        return accountId;
    }
}
