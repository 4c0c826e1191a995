// The baseline of the storage import benchmark: the same raw events (NDJSON lines) into the same database
// through its own bulk path, with nothing derived — batched multi-row INSERTs in transactions of 10,000 for
// SQLite (WAL, synchronous=FULL, as the store), one binary COPY for PostgreSQL. bench/import-1m.sh runs it
// beside `omnireport import` on the same file and compares the rates.
//
//   OmniReport.ImportBench raw-sqlite FILE DB_PATH
//   OmniReport.ImportBench raw-postgres FILE CONNECTION_STRING
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

if (args.Length != 3 || args[0] is not ("raw-sqlite" or "raw-postgres"))
{
    Console.Error.WriteLine("usage: OmniReport.ImportBench raw-sqlite|raw-postgres FILE DB");
    return 2;
}

var lines = File.ReadAllLines(args[1]).Where(l => l.Length > 0).ToArray(); // read before the clock starts
var clock = Stopwatch.StartNew();
if (args[0] == "raw-sqlite")
{
    SQLitePCL.Batteries_V2.Init();
    using var c = new SqliteConnection($"Data Source={args[2]}");
    c.Open();
    Exec(c, null, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-65536; CREATE TABLE raw_events (seq INTEGER PRIMARY KEY, body TEXT NOT NULL);");
    clock.Restart();
    const int Rows = 100;
    var sql = "INSERT INTO raw_events (seq, body) VALUES " + string.Join(", ", Enumerable.Range(0, Rows).Select(i => $"($s{i}, $b{i})"));
    for (var start = 0; start < lines.Length; start += 10_000)
    {
        using var tx = c.BeginTransaction();
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        var ps = Enumerable.Range(0, Rows).Select(i => (cmd.Parameters.Add($"$s{i}", SqliteType.Integer), cmd.Parameters.Add($"$b{i}", SqliteType.Text))).ToArray();
        var end = Math.Min(start + 10_000, lines.Length);
        var i = start;
        for (; i + Rows <= end; i += Rows)
        {
            for (var k = 0; k < Rows; k++)
            {
                ps[k].Item1.Value = i + k;
                ps[k].Item2.Value = lines[i + k];
            }

            cmd.ExecuteNonQuery();
        }

        using var one = c.CreateCommand();
        one.Transaction = tx;
        one.CommandText = "INSERT INTO raw_events (seq, body) VALUES ($s, $b)";
        var s = one.Parameters.Add("$s", SqliteType.Integer);
        var b = one.Parameters.Add("$b", SqliteType.Text);
        for (; i < end; i++)
        {
            s.Value = i;
            b.Value = lines[i];
            one.ExecuteNonQuery();
        }

        tx.Commit();
    }
}
else
{
    await using var c = new NpgsqlConnection(args[2]);
    await c.OpenAsync();
    await using (var create = new NpgsqlCommand("DROP TABLE IF EXISTS raw_events; CREATE TABLE raw_events (seq bigint PRIMARY KEY, body text NOT NULL)", c))
    {
        await create.ExecuteNonQueryAsync();
    }

    clock.Restart();
    await using (var copy = await c.BeginBinaryImportAsync("COPY raw_events (seq, body) FROM STDIN (FORMAT BINARY)"))
    {
        for (var i = 0; i < lines.Length; i++)
        {
            await copy.StartRowAsync();
            await copy.WriteAsync((long)i, NpgsqlDbType.Bigint);
            await copy.WriteAsync(lines[i], NpgsqlDbType.Text);
        }

        await copy.CompleteAsync();
    }
}

var seconds = clock.Elapsed.TotalSeconds;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"raw {args[0][4..]}: {lines.Length} events in {seconds:0.00} s ({lines.Length / seconds:0} events/s)"));
return 0;

static void Exec(SqliteConnection c, SqliteTransaction? tx, string sql)
{
    using var cmd = c.CreateCommand();
    cmd.Transaction = tx;
    cmd.CommandText = sql;
    cmd.ExecuteNonQuery();
}
