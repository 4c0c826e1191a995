using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using OmniReport.Core.Derivation;
using OmniReport.Core.Events;
using OmniReport.Core.Settings;
using OmniReport.Storage.Codec;
using OmniReport.TestSupport;
using static OmniReport.Storage.Tests.StoreTestKit;

namespace OmniReport.Storage.Tests;

/// <summary>The projection: its change log, rebuild, and the upgrade of a database of an older format.</summary>
public abstract partial class StoreContractTests
{
    /// <summary>
    /// Random synthetic streams with deletions, ingested with duplicates in random batches and orders, with sweeps as
    /// time passes and a settings change on the way: the change log, applied in order to an empty map, gives exactly
    /// the engagements and records the store serves; what IngestAsync and SweepAsync return is what they logged.
    /// </summary>
    [StoreFact]
    public async Task Change_log_applied_in_order_gives_exactly_what_the_store_serves()
    {
        for (var seed = 1; seed <= 3; seed++)
        {
            var clock = new ManualTimeProvider(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));
            var store = await NewStoreAsync(clock);
            var account = await store.CreateAccountAsync("log");
            var rng = new Random(seed);
            var lines = SyntheticEvents.RandomStream(rng, 40, seed);
            var returned = new List<Change>();
            var i = 0;
            var batchNo = 0;
            while (i < lines.Count)
            {
                var n = rng.Next(1, 30);
                returned.AddRange((await store.IngestAsync(account.Id, Parse(lines.Skip(i).Take(n)))).Changes);
                i += n;
                clock.Set(clock.GetUtcNow().AddMinutes(rng.Next(0, 200)));
                returned.AddRange((await store.SweepAsync()).Changes);
                if (++batchNo == 5)
                {
                    await store.UpdateSettingsAsync(account.Id, AccountSettings.Default with { InactivityTimeoutMinutes = 4 });
                }
            }

            var log = await store.ReadChangesAsync(account.Id, 0, int.MaxValue);
            Assert.Equal(Enumerable.Range(1, log.Count).Select(k => (long)k), log.Select(c => c.Sequence));
            var served = await store.EngagementsByStartAsync(account.Id, long.MinValue, long.MaxValue).ToListAsync();
            var servedRecords = (await store.InteractionsByStartAsync(account.Id, long.MinValue, long.MaxValue).ToListAsync()).Select(r => r.Record).ToList();

            // What IngestAsync and SweepAsync returned is what they logged; read back, an entry carries its object as
            // it is now (null when gone since).
            var bySeq = log.ToDictionary(c => c.Sequence);
            var servedById = served.ToDictionary(e => e.EngagementId);
            var recordsById = servedRecords.ToDictionary(r => r.InteractionId);
            foreach (var c in returned)
            {
                var logged = bySeq[c.Sequence];
                Assert.Equal((logged.Kind, logged.Key), (c.Kind, c.Key));
                Assert.Equal(c.Kind == ChangeKind.EngagementLogged ? servedById.GetValueOrDefault(c.Key) : null, logged.Engagement);
                Assert.Equal(c.Kind == ChangeKind.InteractionUpdated ? recordsById.GetValueOrDefault(c.Key) : null, logged.Record);
            }

            var (engagements, records) = ChangeLogReplay.Apply(log);
            Assert.NotEmpty(served);
            Assert.Equal(served, engagements.Values.OrderBy(e => e, Comparer<Engagement>.Create(Engagement.Compare)).ToList());
            Assert.Equal(servedRecords, records.Values.OrderBy(r => r, Comparer<InteractionRecord>.Create(InteractionRecord.Compare)).ToList());
            Assert.Contains(log, c => c.Kind == ChangeKind.EngagementUnlogged);
            Assert.Contains(log, c => c.Kind == ChangeKind.InteractionRemoved);
        }
    }

    [StoreFact]
    public async Task Rebuild_gives_byte_identical_reports_and_logs_nothing_when_nothing_changed()
    {
        var store = await NewStoreAsync(new ManualTimeProvider(new DateTimeOffset(2026, 3, 12, 0, 0, 0, TimeSpan.Zero)));
        var account = await store.CreateAccountAsync("rebuild");
        var rng = new Random(7);
        var lines = SyntheticEvents.RandomStream(rng, 300, 7);
        for (var i = 0; i < lines.Count; i += 97)
        {
            await store.IngestAsync(account.Id, Parse(lines.Skip(i).Take(97)));
        }

        var before = await ReportsAsync(store, account.Id);
        var logged = (await store.ReadChangesAsync(account.Id, 0, int.MaxValue)).Count;
        var progress = new List<(long Done, long Total)>();
        Assert.Equal(300, await ProjectionRebuild.AccountAsync(store, account.Id, (d, t) => progress.Add((d, t))));
        Assert.Equal((300L, 300L), progress[^1]);
        Assert.Equal(before, await ReportsAsync(store, account.Id));
        Assert.Equal(logged, (await store.ReadChangesAsync(account.Id, 0, int.MaxValue)).Count);
        Assert.Equal(before, Reference(lines, AccountSettings.Default, new DateTimeOffset(2026, 3, 12, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds()));
    }

    [StoreFact]
    public async Task An_interrupted_rebuild_is_resumed_by_the_next_start()
    {
        var db = await NewDatabaseAsync();
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 3, 12, 0, 0, 0, TimeSpan.Zero));
        var store = await OpenAsync(db, time);
        var account = await store.CreateAccountAsync("resume");
        var lines = SyntheticEvents.RandomStream(new Random(3), 30, 3);
        await store.IngestAsync(account.Id, Parse(lines));
        var before = await ReportsAsync(store, account.Id);

        var step = await store.RebuildStepAsync(account.Id, 10);
        Assert.Equal((10, false), (step.Interactions, step.Finished));
        Assert.Equal((30L, 10L), await store.RebuildProgressAsync(account.Id));
        Assert.True((await store.ListProjectionsAsync()).Single().Rebuilding);

        var again = await OpenAsync(db, time); // a new start finishes what was left
        Assert.Equal(new AccountProjection(account, ProjectionFormat.Current, false), (await again.ListProjectionsAsync()).Single());
        Assert.Equal(before, await ReportsAsync(again, account.Id));
    }

    /// <summary>
    /// A database written in projection format 1 (the schema before migration 110, its derived data in that format)
    /// is upgraded and rebuilt on first start, and answers as a fresh import of the same events does.
    /// </summary>
    [StoreFact]
    public async Task A_database_of_the_previous_format_is_upgraded_and_rebuilt_on_first_start()
    {
        var now = new DateTimeOffset(2026, 3, 12, 0, 0, 0, TimeSpan.Zero);
        var lines = SyntheticEvents.RandomStream(new Random(11), 80, 11);
        var events = Parse(lines).Select((e, k) => e.WithSequence(k + 1)).ToList();
        var db = await NewDatabaseAsync();
        await BuildFormat1DatabaseAsync(db, events);

        var upgraded = await OpenAsync(db, new ManualTimeProvider(now));
        var account = (await upgraded.FindAccountAsync("old"))!;
        Assert.Equal(new AccountProjection(account, ProjectionFormat.Current, false), (await upgraded.ListProjectionsAsync()).Single());

        var fresh = await NewStoreAsync(new ManualTimeProvider(now));
        var freshAccount = await fresh.CreateAccountAsync("old");
        await fresh.IngestAsync(freshAccount.Id, Parse(lines));
        var expected = await ReportsAsync(fresh, freshAccount.Id);
        Assert.Equal(expected, await ReportsAsync(upgraded, account.Id));
        Assert.Equal(
            await fresh.QueryEngagementsAsync(freshAccount.Id, new EngagementQuery { TicketId = events[0].InteractionId }).ToListAsync(),
            await upgraded.QueryEngagementsAsync(account.Id, new EngagementQuery { TicketId = events[0].InteractionId }).ToListAsync());

        // It goes on taking events after the upgrade, with arrival order continuing.
        var more = SyntheticEvents.RandomStream(new Random(12), 10, 12, prefix: "j");
        await upgraded.IngestAsync(account.Id, Parse(more));
        await fresh.IngestAsync(freshAccount.Id, Parse(more));
        Assert.Equal(await ReportsAsync(fresh, freshAccount.Id), await ReportsAsync(upgraded, account.Id));
    }

    /// <summary>
    /// Writes a database as the previous binary left it: the migrations before 110, one account "old" with the events
    /// in its interaction rows (the event encoding is unchanged), the derived data of format 1 beside them.
    /// </summary>
    private static async Task BuildFormat1DatabaseAsync(string db, IReadOnlyList<Event> events)
    {
        var postgres = StoreFactory.IsPostgres(db);
        await using DbConnection c = postgres ? new NpgsqlConnection(db) : new SqliteConnection($"Data Source={db}");
        await c.OpenAsync();
        await ExecAsync(c, postgres, "CREATE TABLE schema_migrations (version int PRIMARY KEY, name text NOT NULL, applied_at_ms bigint NOT NULL)");
        foreach (var (version, name, sql) in Migrations.For(postgres ? "postgres" : "sqlite").Where(m => m.Version < 110))
        {
            await ExecAsync(c, postgres, sql);
            await ExecAsync(c, postgres, "INSERT INTO schema_migrations VALUES ($1, $2, 0)", version, name);
        }

        await ExecAsync(c, postgres, "INSERT INTO accounts (name, created_at_ms) VALUES ('old', 0)");
        var accountId = Convert.ToInt64(await ScalarAsync(c, "SELECT id FROM accounts WHERE name = 'old'"), System.Globalization.CultureInfo.InvariantCulture);
        if (!postgres)
        {
            await ExecAsync(c, postgres, "UPDATE accounts SET next_seq = $1", (long)events.Count + 1);
        }
        else
        {
            await ExecAsync(c, postgres, "SELECT setval('event_seq', $1)", (long)events.Count);
        }

        foreach (var e in events.DistinctBy(e => e.Id))
        {
            await ExecAsync(c, postgres, "INSERT INTO event_ids (account_id, event_id) VALUES ($1, $2)", accountId, e.Id);
        }

        foreach (var g in events.DistinctBy(e => e.Id).GroupBy(e => e.InteractionId))
        {
            var w = new BlobWriter();
            foreach (var e in g)
            {
                EventCodec.Write(w, e);
            }

            var created = g.Any(e => e.Type == EventType.InteractionCreated);
            // Derived data of format 1: a record blob and a digest the new binary must not trust.
            await ExecAsync(c, postgres, """
                INSERT INTO interactions (account_id, interaction_id, event_count, has_created, start_ms, record, engagements, events)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                """, accountId, g.Key, g.Count(), postgres ? created : (created ? 1 : 0), created ? (object)0L : System.Data.DbType.Int64,
                created ? (object)new byte[] { 1, 2, 3 } : System.Data.DbType.Binary, System.Data.DbType.Binary, w.ToArray());
        }

        // A stale engagement row of the old format: gone after the upgrade.
        await ExecAsync(c, postgres, """
            INSERT INTO engagements (account_id, start_second, engagement_id, interaction_id, agent_id, group_id, channel, data)
            VALUES ($1, 0, 'STALE', 'nowhere', '1', NULL, 0, $2)
            """, accountId, new byte[] { 9 });
    }

    private static async Task ExecAsync(DbConnection c, bool postgres, string sql, params object[] args)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        for (var k = 0; k < args.Length; k++)
        {
            var p = cmd.CreateParameter();
            if (!postgres)
            {
                p.ParameterName = "$" + (k + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            if (args[k] is System.Data.DbType nullOf) // a NULL of this type
            {
                p.Value = DBNull.Value;
                p.DbType = nullOf;
            }
            else
            {
                p.Value = args[k];
            }

            cmd.Parameters.Add(p);
        }

        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<object?> ScalarAsync(DbConnection c, string sql)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return await cmd.ExecuteScalarAsync();
    }
}
