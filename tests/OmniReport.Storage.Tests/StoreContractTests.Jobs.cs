using System.Text;
using OmniReport.Api.Hosting;
using OmniReport.Core.Reports;
using OmniReport.Core.Settings;
using OmniReport.TestSupport;
using static OmniReport.Storage.Tests.StoreTestKit;

namespace OmniReport.Storage.Tests;

/// <summary>Report jobs (SPEC §5.4) on every store: lifecycle, files equal to derive's, claims, cancel, retention.</summary>
public abstract partial class StoreContractTests
{
    private static readonly DateTimeOffset ScenarioNow = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] DefaultSettingScenarios = ["messaging-basic", "transfers", "voice-calls", "report-fields", "reassignment-and-removal", "inactivity-timeout", "pending-start-and-reopen"];

    private static ReportJobRequest Request(ReportFormat format, string zone = "UTC", string from = "2026-01-01T00:00:00Z", string to = "2026-12-01T00:00:00Z")
    {
        var json = $$$"""{"name":"t","timezone":"{{{zone}}}","format":"{{{ReportNames.Name(format)}}}","timespan":{"from":"{{{from}}}","to":"{{{to}}}"}}""";
        Assert.True(ReportJobRequest.TryParse("x", Encoding.UTF8.GetBytes(json), out var r, out var problems), string.Join("; ", problems));
        return r!;
    }

    private async Task<(IStore Store, long Account, List<string> Lines, ManualTimeProvider Time)> StoreWithScenariosAsync()
    {
        var time = new ManualTimeProvider(ScenarioNow);
        var store = await NewStoreAsync(time);
        var account = await store.CreateAccountAsync("acme");
        var lines = DefaultSettingScenarios.SelectMany(n => Scenarios.ByName(n).EventsNdjson().Split('\n', StringSplitOptions.RemoveEmptyEntries)).ToList();
        await store.IngestAsync(account.Id, Parse(lines));
        return (store, account.Id, lines, time);
    }

    private static async Task<string> FileAsync(IStore store, long account, ReportType type, string id)
    {
        using var bytes = new MemoryStream();
        await ReportJobFiles.CopyAsync(store, account, type, id, bytes);
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    public static TheoryData<ReportType, ReportFormat, string> JobKinds()
    {
        var data = new TheoryData<ReportType, ReportFormat, string>();
        foreach (var type in new[] { ReportType.Engagements, ReportType.Interactions })
        {
            foreach (var format in new[] { ReportFormat.Json, ReportFormat.JsonBulk, ReportFormat.Csv })
            {
                foreach (var zone in new[] { "UTC", "America/New_York" })
                {
                    data.Add(type, format, zone);
                }
            }
        }

        return data;
    }

    [StoreTheory]
    [MemberData(nameof(JobKinds))]
    public async Task A_job_runs_to_done_and_its_file_is_byte_for_byte_what_derive_writes(ReportType type, ReportFormat format, string zone)
    {
        var (store, account, lines, _) = await StoreWithScenariosAsync();
        var job = await store.CreateReportJobAsync(account, type, Request(format, zone));
        Assert.Equal(ReportJobStatus.Created, job.Status);
        var worker = new ReportJobWorker(store, TimeProvider.System, new ReportJobOptions { PartBytes = 1024 });
        Assert.True(await worker.RunOnceAsync());
        Assert.False(await worker.RunOnceAsync());

        var done = await store.GetReportJobAsync(account, type, job.Id);
        Assert.Equal(ReportJobStatus.Done, done!.Status);
        var derived = ReportFiles.Load(lines).Run(AccountSettings.Default, ScenarioNow.ToUnixTimeMilliseconds());
        var expected = ReportFiles.Write(derived, type, format, zone);
        Assert.Equal(expected, await FileAsync(store, account, type, job.Id));
        Assert.Equal(type == ReportType.Engagements ? derived.Engagements.Count : derived.Interactions.Count, done.Rows);
    }

    [StoreFact]
    public async Task A_job_selects_records_by_start_from_inclusive_to_exclusive()
    {
        var (store, account, _, _) = await StoreWithScenariosAsync();
        // transfers' engagements start at 14:00:12, 14:02:26 and 14:04:20 on 2026-03-03.
        var job = await store.CreateReportJobAsync(account, ReportType.Engagements,
            Request(ReportFormat.Json, from: "2026-03-03T14:00:12Z", to: "2026-03-03T14:04:20Z"));
        await new ReportJobWorker(store, TimeProvider.System, new ReportJobOptions()).RunOnceAsync();
        var starts = Entries(await FileAsync(store, account, ReportType.Engagements, job.Id)).Select(e => e!["engagement_start_time"]!.GetValue<string>());
        Assert.Equal(["2026-03-03T14:00:12", "2026-03-03T14:02:26"], starts);
    }

    [StoreFact]
    public async Task A_claim_whose_lease_ran_out_is_taken_again_and_only_the_new_attempt_writes()
    {
        var (store, account, _, time) = await StoreWithScenariosAsync();
        var job = await store.CreateReportJobAsync(account, ReportType.Interactions, Request(ReportFormat.Csv));
        var first = await store.ClaimReportJobAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, first!.Attempt);
        Assert.True(await store.AppendReportFileAsync(job.Id, 1, 0, "stale"u8.ToArray()));
        Assert.Null(await store.ClaimReportJobAsync(TimeSpan.FromSeconds(30))); // still leased

        time.Advance(TimeSpan.FromSeconds(31)); // the first worker died
        var worker = new ReportJobWorker(store, TimeProvider.System, new ReportJobOptions());
        Assert.True(await worker.RunOnceAsync());

        Assert.False(await store.AppendReportFileAsync(job.Id, 1, 1, "late"u8.ToArray()));
        Assert.False(await store.CompleteReportJobAsync(job.Id, 1, 0));
        Assert.False(await store.RenewReportJobAsync(job.Id, 1, TimeSpan.FromSeconds(30)));
        var done = await store.GetReportJobAsync(account, ReportType.Interactions, job.Id);
        Assert.Equal((ReportJobStatus.Done, 2), (done!.Status, done.Attempt));
        var file = await FileAsync(store, account, ReportType.Interactions, job.Id);
        Assert.StartsWith("interaction_id,waiting_time,", file, StringComparison.Ordinal);
        Assert.DoesNotContain("stale", file, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task Removing_a_waiting_job_cancels_it_and_removing_it_again_deletes_it()
    {
        var (store, account, _, _) = await StoreWithScenariosAsync();
        var job = await store.CreateReportJobAsync(account, ReportType.Engagements, Request(ReportFormat.Json));
        Assert.True(await store.RemoveReportJobAsync(account, ReportType.Engagements, job.Id));
        Assert.Equal(ReportJobStatus.Canceled, (await store.GetReportJobAsync(account, ReportType.Engagements, job.Id))!.Status);
        Assert.False(await new ReportJobWorker(store, TimeProvider.System, new ReportJobOptions()).RunOnceAsync());

        Assert.True(await store.RemoveReportJobAsync(account, ReportType.Engagements, job.Id));
        Assert.Null(await store.GetReportJobAsync(account, ReportType.Engagements, job.Id));
        Assert.False(await store.RemoveReportJobAsync(account, ReportType.Engagements, job.Id));
    }

    [StoreFact]
    public async Task A_job_canceled_while_it_runs_stops_and_keeps_no_file()
    {
        var (store, account, _, _) = await StoreWithScenariosAsync();
        var job = await store.CreateReportJobAsync(account, ReportType.Engagements, Request(ReportFormat.Json));
        var claim = await store.ClaimReportJobAsync(TimeSpan.FromSeconds(30));
        Assert.True(await store.AppendReportFileAsync(job.Id, claim!.Attempt, 0, "{"u8.ToArray()));
        Assert.True(await store.RemoveReportJobAsync(account, ReportType.Engagements, job.Id));
        Assert.False(await store.AppendReportFileAsync(job.Id, claim.Attempt, 1, "x"u8.ToArray()));
        Assert.False(await store.CompleteReportJobAsync(job.Id, claim.Attempt, 1));
        Assert.Equal(ReportJobStatus.Canceled, (await store.GetReportJobAsync(account, ReportType.Engagements, job.Id))!.Status);
        Assert.Equal("", await FileAsync(store, account, ReportType.Engagements, job.Id));
    }

    [StoreFact]
    public async Task Jobs_are_listed_newest_first_by_page_and_never_across_accounts_or_types()
    {
        var (store, account, _, time) = await StoreWithScenariosAsync();
        var other = await store.CreateAccountAsync("other");
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await store.CreateReportJobAsync(account, ReportType.Interactions, Request(ReportFormat.Csv))).Id);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        await store.CreateReportJobAsync(account, ReportType.Engagements, Request(ReportFormat.Csv));
        var page2 = await store.ListReportJobsAsync(account, ReportType.Interactions, 2, 2);
        Assert.Equal(5, page2.Total);
        Assert.Equal([ids[2], ids[1]], page2.Jobs.Select(j => j.Id));
        Assert.Equal(0, (await store.ListReportJobsAsync(other.Id, ReportType.Interactions, 1, 10)).Total);
        Assert.Null(await store.GetReportJobAsync(other.Id, ReportType.Interactions, ids[0]));
        Assert.Null(await store.GetReportJobAsync(account, ReportType.Engagements, ids[0]));
        Assert.False(await store.RemoveReportJobAsync(other.Id, ReportType.Interactions, ids[0]));
    }

    [StoreFact]
    public async Task Finished_jobs_past_retention_are_deleted_with_their_files()
    {
        var (store, account, _, time) = await StoreWithScenariosAsync();
        var old = await store.CreateReportJobAsync(account, ReportType.Interactions, Request(ReportFormat.Csv));
        await new ReportJobWorker(store, TimeProvider.System, new ReportJobOptions()).RunOnceAsync();
        time.Advance(TimeSpan.FromDays(8));
        var waiting = await store.CreateReportJobAsync(account, ReportType.Interactions, Request(ReportFormat.Csv));
        Assert.Equal(1, await store.DeleteExpiredReportJobsAsync(time.GetUtcNow().AddDays(-7).ToUnixTimeMilliseconds()));
        Assert.Null(await store.GetReportJobAsync(account, ReportType.Interactions, old.Id));
        Assert.NotNull(await store.GetReportJobAsync(account, ReportType.Interactions, waiting.Id));
        Assert.Equal("", await FileAsync(store, account, ReportType.Interactions, old.Id));
    }

    [StoreFact]
    public async Task Workers_in_two_processes_share_the_jobs_and_run_each_once()
    {
        var db = await NewDatabaseAsync();
        var time = new ManualTimeProvider(ScenarioNow);
        var a = await OpenAsync(db, time);
        var b = await OpenAsync(db, time); // a second process: its own pool on the same database
        var account = await a.CreateAccountAsync("acme");
        await a.IngestAsync(account.Id, Parse(Scenarios.ByName("transfers").EventsNdjson().Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        var ids = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            ids.Add((await a.CreateReportJobAsync(account.Id, i % 2 == 0 ? ReportType.Engagements : ReportType.Interactions, Request(ReportFormat.Csv))).Id);
        }

        async Task<int> Drain(IStore store)
        {
            var worker = new ReportJobWorker(store, TimeProvider.System, new ReportJobOptions());
            var n = 0;
            while (await worker.RunOnceAsync())
            {
                n++;
            }

            return n;
        }

        var runs = await Task.WhenAll(Drain(a), Drain(b), Drain(a), Drain(b));
        Assert.Equal(12, runs.Sum());
        for (var i = 0; i < ids.Count; i++)
        {
            var job = await a.GetReportJobAsync(account.Id, i % 2 == 0 ? ReportType.Engagements : ReportType.Interactions, ids[i]);
            Assert.Equal((ReportJobStatus.Done, 1), (job!.Status, job.Attempt));
        }
    }

    [StoreFact]
    public async Task A_restarting_sqlite_server_takes_up_orphaned_jobs_at_once_while_postgresql_waits_for_the_lease()
    {
        var (store, account, _, _) = await StoreWithScenariosAsync();
        var job = await store.CreateReportJobAsync(account, ReportType.Engagements, Request(ReportFormat.Json));
        var dead = await store.ClaimReportJobAsync(TimeSpan.FromSeconds(30)); // a worker that then died
        var released = await store.ReleaseOrphanedReportJobsAsync();
        var retaken = await store.ClaimReportJobAsync(TimeSpan.FromSeconds(30));
        if (store.Kind == "sqlite")
        {
            Assert.Equal(1, released);
            Assert.Equal((job.Id, 2), (retaken!.Id, retaken.Attempt));
            Assert.False(await store.CompleteReportJobAsync(job.Id, dead!.Attempt, 0)); // the dead attempt can no longer finish it
        }
        else
        {
            Assert.Equal(0, released); // shared by several servers: only the lease tells
            Assert.Null(retaken);
        }
    }
}
