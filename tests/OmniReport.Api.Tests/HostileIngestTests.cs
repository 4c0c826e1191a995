using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OmniReport.Core.Events;
using OmniReport.TestSupport;

namespace OmniReport.Api.Tests;

/// <summary>
/// SPEC §1 "Bad input" through <c>POST /api/v2/events</c> on SQLite (here) and PostgreSQL (<see cref="PostgresHostileIngestTests"/>):
/// each hostile event is rejected alone with its index, id and field, every valid one is stored, and no invalid
/// one is half-stored (its id is still free). The fuzzer holds random mutations of valid bodies to the same promise.
/// </summary>
public sealed class HostileIngestTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public Task Each_hostile_event_is_rejected_alone_and_the_rest_is_stored() => MixedAsync(fixture.Server);

    [Fact]
    public Task A_broken_array_keeps_the_events_before_the_break() => BrokenArrayAsync(fixture.Server);

    [Fact]
    public Task Fuzzed_bodies_never_fail_and_never_lose_a_valid_event() => FuzzAsync(fixture.Server, TimeSpan.FromSeconds(3));

    internal static async Task MixedAsync(ApiServer server)
    {
        var lines = HostileInput.Mixed;
        var bodies = new (string ContentType, byte[] Body)[]
        {
            ("application/x-ndjson", HostileInput.Ndjson(lines)),
            ("application/json", HostileInput.Array(lines)),
            ("application/json", [.. Encoding.UTF8.GetBytes("{\"other\": {\"events\": 1}, \"events\": "), .. HostileInput.Array(lines).AsSpan(3), .. "}"u8]),
        };
        foreach (var (contentType, body) in bodies)
        {
            var t = await server.NewAccountAsync();
            var result = await PostAsync(t, body, contentType);
            Assert.Equal(HttpStatusCode.OK, result.Status);
            var valid = lines.Where(HostileInput.IsValid).ToList();
            Assert.True(valid.Count == result.Json["accepted"]!.GetValue<int>(), result.Json.ToJsonString()[..Math.Min(3000, result.Json.ToJsonString().Length)]);
            Assert.Equal(0, result.Json["duplicates"]!.GetValue<int>());
            Assert.Equal(lines.Count - valid.Count, result.Json["rejected"]!.GetValue<int>());
            var errors = result.Json["errors"]!.AsArray();
            var expected = lines.Select((l, i) => (Line: l, Index: (long)i)).Where(x => !HostileInput.IsValid(x.Line)).ToList();
            Assert.Equal(expected.Select(x => x.Index), errors.Select(e => e!["index"]!.GetValue<long>()));
            for (var i = 0; i < expected.Count; i++)
            {
                var (line, _) = expected[i];
                Assert.True(line.Id == errors[i]!["id"]?.GetValue<string>(), $"{line.Name}: {errors[i]!.ToJsonString()[..Math.Min(300, errors[i]!.ToJsonString().Length)]}");
                Assert.True(line.Field == errors[i]!["field"]?.GetValue<string>(), $"{line.Name}: {errors[i]!["field"]}");
                Assert.True(errors[i]!["description"]!.GetValue<string>().Length < 300, line.Name);
            }

            await AssertStoredAsync(t, valid.Select(v => v.Id!).ToList(), expected.Select(x => x.Line.Id!).Where(id => id.Length < 100).ToList());
        }
    }

    internal static async Task BrokenArrayAsync(ApiServer server)
    {
        var v1 = "{\"id\":\"b-1\",\"type\":\"interaction.created\",\"occurred_at\":\"2026-03-02T09:00:00Z\",\"interaction_id\":\"1\",\"channel\":\"chat\"}";
        var v2 = v1.Replace("b-1", "b-2", StringComparison.Ordinal);
        foreach (var (body, why) in new[]
                 {
                     ($"[{v1},\n{v2},\n{{\"id\":\"b-3\",", "ends inside an element"),
                     ($"[{v1},{v2} {v1}]", "expected , or ]"),
                     ($"{{\"events\":[{v1},{v2},", "not closed"),
                     ($"[{v1},{v2}] trailing", "unexpected text after the JSON array"),
                 })
        {
            var t = await server.NewAccountAsync();
            var result = await PostAsync(t, Encoding.UTF8.GetBytes(body), "application/json");
            Assert.Equal(HttpStatusCode.OK, result.Status);
            Assert.Equal(2, result.Json["accepted"]!.GetValue<int>());
            Assert.Equal(1, result.Json["rejected"]!.GetValue<int>());
            var error = result.Json["errors"]![0]!;
            Assert.Equal(2, error["index"]!.GetValue<long>());
            Assert.Null(error["field"]);
            Assert.Contains(why, error["description"]!.GetValue<string>(), StringComparison.Ordinal);
            await AssertStoredAsync(t, ["b-1", "b-2"], ["b-3"]);
        }
    }

    /// <summary>A fixed seed first (reproducible), then fresh seeds until <paramref name="randomRun"/> is spent.</summary>
    internal static async Task FuzzAsync(ApiServer server, TimeSpan randomRun)
    {
        var tally = new int[3];
        for (var seed = 0; seed < 60; seed++)
        {
            await FuzzOneAsync(server, 17_000 + seed, tally);
        }

        // The fixed seeds reach every outcome: valid events stored, events rejected, bodies refused as a whole.
        Assert.All(tally, n => Assert.True(n > 0, string.Join(", ", tally)));
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < randomRun)
        {
            await FuzzOneAsync(server, Random.Shared.Next(), tally);
        }
    }

    private static async Task FuzzOneAsync(ApiServer server, int seed, int[] tally)
    {
        var random = new Random(seed);
        var ndjson = random.Next(2) == 0;
        var body = HostileInput.Mutated(random, ndjson, random.Next(1, 40), $"s{seed}");
        var t = await server.NewAccountAsync();
        var result = await PostAsync(t, body, ndjson ? "application/x-ndjson" : "application/json");
        var (records, broken) = ndjson ? (HostileInput.NdjsonRecords(body), false) : HostileInput.ArrayRecords(body);
        var what = $"seed {seed} ({(ndjson ? "NDJSON" : "JSON")}): {Encoding.UTF8.GetString(body)}";
        if (broken && records.Count == 0)
        {
            Assert.True(result.Status == HttpStatusCode.BadRequest, $"{what}\n-> {(int)result.Status} {result.Json.ToJsonString()}");
            tally[2]++;
            return;
        }

        Assert.True(result.Status == HttpStatusCode.OK, $"{what}\n-> {(int)result.Status} {result.Json.ToJsonString()}");
        var valid = records.Where(r => r.Event is not null).ToList();
        var validIds = valid.Select(r => r.Event!.Id).ToHashSet(StringComparer.Ordinal);
        var invalid = records.Where(r => r.Event is null).ToList();
        Assert.True(validIds.Count == result.Json["accepted"]!.GetValue<int>(), $"{what}\n-> {result.Json.ToJsonString()}");
        Assert.Equal(valid.Count - validIds.Count, result.Json["duplicates"]!.GetValue<int>());
        var expectedIndexes = invalid.Select(r => r.Index).Concat(broken ? [records.Count] : []).ToList();
        Assert.True(expectedIndexes.SequenceEqual(result.Json["errors"]!.AsArray().Select(e => e!["index"]!.GetValue<long>())), $"{what}\n-> {result.Json.ToJsonString()}");
        Assert.Equal(expectedIndexes.Count, result.Json["rejected"]!.GetValue<int>());
        tally[0] += validIds.Count;
        tally[1] += expectedIndexes.Count;
        var freeIds = invalid.Select(r => r.Error!.Id).OfType<string>().Where(id => id.Length < 100 && !validIds.Contains(id)).Distinct().ToList();
        await AssertStoredAsync(t, [.. validIds], freeIds);
    }

    /// <summary>
    /// Every id of <paramref name="stored"/> is in the account (posting it again is a duplicate), and no id of
    /// <paramref name="free"/> is (a valid event with that id is accepted): nothing invalid was half-stored.
    /// </summary>
    internal static async Task AssertStoredAsync(Tenant t, IReadOnlyList<string> stored, IReadOnlyList<string> free)
    {
        var again = await PostAsync(t, Encoding.UTF8.GetBytes(Events(stored)), "application/json");
        Assert.Equal(0, again.Json["accepted"]!.GetValue<int>());
        Assert.Equal(stored.Count, again.Json["duplicates"]!.GetValue<int>());

        var usable = free.Where(id => new EventParser().TryParse(Events([id])[1..^1], 0, out _, out _)).ToList();
        var fresh = await PostAsync(t, Encoding.UTF8.GetBytes(Events(usable)), "application/json");
        Assert.True(usable.Count == fresh.Json["accepted"]!.GetValue<int>(), $"ids {string.Join(", ", usable)}: {fresh.Json.ToJsonString()}");
    }

    private static string Events(IEnumerable<string> ids) =>
        "[" + string.Join(",", ids.Select(id =>
            $"{{\"id\":{JsonSerializer.Serialize(id)},\"type\":\"interaction.ended\",\"occurred_at\":\"2026-03-02T10:00:00Z\",\"interaction_id\":\"z\"}}")) + "]";

    internal static async Task<(HttpStatusCode Status, JsonObject Json)> PostAsync(Tenant t, byte[] body, string contentType)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var response = await t.SendAsync(HttpMethod.Post, "/api/v2/events", content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode != HttpStatusCode.InternalServerError, text);
        return (response.StatusCode, JsonNode.Parse(text)!.AsObject());
    }
}

/// <summary>The same on PostgreSQL, where U+0000 used to fail the whole transaction (22021).</summary>
public sealed class PostgresHostileIngestTests
{
    [PostgresFact]
    public async Task Each_hostile_event_is_rejected_alone_and_the_rest_is_stored_on_PostgreSQL()
    {
        await using var server = await ApiServer.StartAsync(postgres: true);
        await HostileIngestTests.MixedAsync(server);
        await HostileIngestTests.BrokenArrayAsync(server);
    }

    [PostgresFact]
    public async Task Fuzzed_bodies_never_fail_and_never_lose_a_valid_event_on_PostgreSQL()
    {
        await using var server = await ApiServer.StartAsync(postgres: true);
        await HostileIngestTests.FuzzAsync(server, TimeSpan.FromSeconds(3));
    }
}
