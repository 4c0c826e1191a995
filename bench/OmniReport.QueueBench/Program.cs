// The report-job queue's hot path through the store contract (IReportJobQueue), so the same source builds against an
// earlier commit's store: JOBS jobs created, then each claimed, given one small file part and completed, as a report
// worker does. Prints the claim cycles a second. bench/queue-compare.sh runs it for a base commit and the working tree.
//
//   OmniReport.QueueBench DB JOBS      (DB: a SQLite path, or a PostgreSQL connection string)
using System.Diagnostics;
using OmniReport.Core.Reports;
using OmniReport.Storage;

if (args.Length != 2 || !int.TryParse(args[1], out var jobs) || jobs <= 0)
{
    Console.Error.WriteLine("usage: OmniReport.QueueBench DB JOBS");
    return 2;
}

await using var store = await StoreFactory.OpenAsync(args[0], TimeProvider.System);
var account = await store.CreateAccountAsync("queue-" + Guid.NewGuid().ToString("N"));
var request = new ReportJobRequest { Name = "bench", TimeZone = "UTC", Format = ReportFormat.Json, From = "2026-01-01", To = "2026-01-02", FromMs = 0, ToMs = 86_400_000 };
for (var i = 0; i < jobs; i++)
{
    await store.CreateReportJobAsync(account.Id, ReportType.Engagements, request);
}

var part = new byte[256];
var clock = Stopwatch.StartNew();
var done = 0;
while (await store.ClaimReportJobAsync(TimeSpan.FromMinutes(1)) is { } job)
{
    await store.AppendReportFileAsync(job.Id, job.Attempt, 0, part);
    await store.CompleteReportJobAsync(job.Id, job.Attempt, 1);
    done++;
}

var seconds = clock.Elapsed.TotalSeconds;
Console.WriteLine($"{done} jobs claimed, written and completed in {seconds:F2} s ({done / seconds:F0} jobs/s)");
return done == jobs ? 0 : 1;
