using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using OmniReport.Api.Connectors;
using OmniReport.Api.Connectors.AmazonConnect;
using OmniReport.Core.Derivation;
using OmniReport.Core.Events;
using OmniReport.Storage;
using static OmniReport.Api.Tests.Connectors.ConnectorKit;

namespace OmniReport.Api.Tests.Connectors;

/// <summary>
/// The Amazon Connect connector (SPEC §10) over HTTP: the documented sample events, batches with a malformed event,
/// and contact sequences built from the samples, with the engagements and interaction records the SPEC's rules give,
/// in order and shuffled and delivered twice. SQLite here, PostgreSQL at the end.
/// </summary>
public sealed class AmazonConnectConnectorTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string Path = "/api/v2/connectors/amazon-connect";
    private const string Instance = "arn:aws:connect:eu-west-1:111122223333:instance/12345678-1234-1234-1234-123456789012";

    // --- the documented samples ---

    [Theory]
    [InlineData("connected-to-agent", "accepted")]
    [InlineData("connected-to-agent-routing-criteria", "accepted")]
    [InlineData("disconnected", "accepted")]
    [InlineData("contact-data-updated", "ignored")]
    public async Task Each_documented_event_is_stored_once_or_ignored(string sample, string outcome)
    {
        var tenant = await fixture.Server.NewAccountAsync();
        var body = await File.ReadAllTextAsync(DataPath("amazon-connect", sample + ".json"));
        var first = await PostOkAsync(tenant, body);
        Assert.Equal((outcome == "accepted" ? 1 : 0, outcome == "ignored" ? 1 : 0, 0), Counts(first));
        var again = await PostOkAsync(tenant, body);
        Assert.Equal(outcome == "accepted" ? 1 : 0, again["duplicates"]!.GetValue<int>());
        Assert.Equal(0, again["accepted"]!.GetValue<int>());
    }

    [Fact]
    public async Task Wrong_tokens_count_against_the_address_and_over_its_limit_the_body_is_not_read()
    {
        await using var server = await ApiServer.StartAsync(new ApiOptions { RateLimitPerMinute = 0, AddressRateLimitPerMinute = 2, MaxIngestBytes = 4096 });
        server.Clock.Set(T0);
        var tenant = await server.NewAccountAsync();
        var body = await File.ReadAllTextAsync(DataPath("amazon-connect", "connected-to-agent.json"));
        foreach (var token in new[] { "not-a-token", "not-a-token-either" })
        {
            using var failed = await tenant.SendAsync(HttpMethod.Post, Path, new StringContent(body, Encoding.UTF8, "application/json"), token);
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }

        // Over the address's limit: the right token waits too, and a body over the size limit (413 if read) is not read.
        foreach (var text in new[] { body, $"[{body}, \"{new string('x', 8192)}\"]" })
        {
            using var limited = await tenant.SendAsync(HttpMethod.Post, Path, new StringContent(text, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
            Assert.Equal("TooManyRequests", JsonNode.Parse(await limited.Content.ReadAsStringAsync())!["error"]!.GetValue<string>());
            Assert.NotNull(limited.Headers.RetryAfter?.Delta);
        }

        server.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, (await PostOkAsync(tenant, body))["accepted"]!.GetValue<int>());
    }

    [Fact]
    public void The_documented_samples_map_to_the_events_of_the_mapping()
    {
        var connected = Parse(Map("connected-to-agent")[0]);
        Assert.Equal(("abcabcab-abca-abca-abca-abcabcabcabc", EventType.OfferAccepted, "11111111-1111-1111-1111-111111111111", "12345678-1234-1234-1234-123456789012"),
            (connected.Id, connected.Type, connected.InteractionId, connected.AgentId));
        Assert.Equal(Instant("2021-08-04T17:29:09Z"), connected.OccurredAtMs);

        // PascalCase members, as in Amazon's routing-criteria sample, read the same.
        var routed = Parse(Map("connected-to-agent-routing-criteria")[0]);
        Assert.Equal((EventType.OfferAccepted, "12345678-1234-1234-1234-123456789012", "12345678-1234-1234-1234-123456789012", Instant("2021-08-04T17:29:09Z")),
            (routed.Type, routed.InteractionId, routed.AgentId, routed.OccurredAtMs));

        // The interaction is initialContactId; the time disconnectTimestamp; an agent was connected: completed.
        var disconnected = Parse(Map("disconnected")[0]);
        Assert.Equal(("`the event ID`", EventType.InteractionEnded, "11111111-2222-3333-4444-555555555555", Outcome.Completed, Instant("2021-08-04T17:18:37Z")),
            (disconnected.Id, disconnected.Type, disconnected.InteractionId, disconnected.Outcome, disconnected.OccurredAtMs));

        Assert.IsType<VendorEvent.Ignored>(ContactEvents.Map(File.ReadAllBytes(DataPath("amazon-connect", "contact-data-updated.json")), 0));

        IReadOnlyList<byte[]> Map(string sample) =>
            Assert.IsType<VendorEvent.Translated>(ContactEvents.Map(File.ReadAllBytes(DataPath("amazon-connect", sample + ".json")), 0)).Events;
    }

    [Fact]
    public void Channels_and_directions_follow_the_contact()
    {
        Assert.Equal((Channel.Voice, Direction.Inbound), Created("VOICE", "INBOUND"));
        Assert.Equal((Channel.Voice, Direction.Outbound), Created("VOICE", "OUTBOUND"));
        Assert.Equal((Channel.Voice, Direction.Outbound), Created("VOICE", "CALLBACK"));
        Assert.Equal((Channel.Voice, Direction.Outbound), Created("VOICE", "API"));
        Assert.Equal((Channel.Chat, Direction.Inbound), Created("CHAT", "API"));
        Assert.Equal((Channel.Email, Direction.Inbound), Created("EMAIL", "INBOUND"));
        Assert.Equal((Channel.Email, Direction.Outbound), Created("EMAIL", "AGENT_REPLY"));
        Assert.Equal((Channel.Email, Direction.Inbound), Created("TASK", "API"));
        Assert.Equal((Channel.Voice, Direction.Inbound), Created("Voice", "TRANSFER"));
        var sms = Event("x", "INITIATED", "c", null, 0, "CHAT", "API");
        sms["detail"]!["segmentAttributes"] = new JsonObject { ["connect:Subtype"] = new JsonObject { ["ValueString"] = "connect:SMS" } };
        var smsEvents = Translate(sms);
        Assert.Equal(Channel.Sms, Parse(smsEvents[0]).Channel);
        Assert.Equal((EventType.MessageCreated, AuthorType.EndUser), (Parse(smsEvents[1]).Type, Parse(smsEvents[1]).AuthorType));

        static (Channel, Direction) Created(string channel, string method)
        {
            var ev = Parse(Translate(Event("x", "INITIATED", "c", null, 0, channel, method))[0]);
            return (ev.Channel, ev.Direction);
        }
    }

    [Fact]
    public async Task A_malformed_event_is_rejected_naming_its_field_and_the_rest_of_its_batch_is_stored()
    {
        var tenant = await fixture.Server.NewAccountAsync();
        var good = Event("ok-1", "INITIATED", "c-batch", null, 0, "VOICE", "INBOUND");
        var noAgent = Event("bad-1", "CONNECTED_TO_AGENT", "c-batch", null, 10, "VOICE", "INBOUND");
        noAgent["detail"]!["agentInfo"] = new JsonObject { ["connectedToAgentTimestamp"] = Iso(10) };
        var badTime = Event("bad-2", "INITIATED", "c-other", null, 0, "VOICE", "INBOUND");
        badTime["detail"]!["initiationTimestamp"] = "yesterday";
        var badChannel = Event("bad-3", "INITIATED", "c-other", null, 0, "FAX", "INBOUND");
        var noContact = Event("bad-4", "QUEUED", "c-other", null, 5, "VOICE", "INBOUND");
        ((JsonObject)noContact["detail"]!).Remove("contactId");
        var noId = Event("bad-5", "QUEUED", "c-other", null, 5, "VOICE", "INBOUND");
        noId.Remove("id");
        var noQueue = Event("bad-6", "QUEUED", "c-other", null, 5, "VOICE", "INBOUND");
        ((JsonObject)noQueue["detail"]!).Remove("queueInfo");
        var other = new JsonObject { ["id"] = "not-a-contact", ["detail-type"] = "Amazon Connect Agent Event", ["detail"] = new JsonObject() };
        var late = Event("ok-2", "DISCONNECTED", "c-batch", null, 60, "VOICE", "INBOUND");

        var answer = await PostOkAsync(tenant, new JsonArray(good, noAgent, badTime, badChannel, noContact, noId, noQueue, other, late, 42).ToJsonString());
        Assert.Equal((2, 1, 7), Counts(answer));
        var errors = answer["errors"]!.AsArray().Select(e => (e!["index"]!.GetValue<int>(), e["id"]?.GetValue<string>(), e["field"]?.GetValue<string>())).ToList();
        Assert.Equal(
        [
            (1, "bad-1", "detail.agentInfo.agentArn"),
            (2, "bad-2", "detail.initiationTimestamp"),
            (3, "bad-3", "detail.channel"),
            (4, "bad-4", "detail.contactId"),
            (5, null, "id"),
            (6, "bad-6", "detail.queueInfo.queueArn"),
            (9, null, ""),
        ], errors);

        var row = await RecordAsync(tenant, "c-batch");
        Assert.Equal(("ABANDONED", Ms(60)), (row!.Record.Status, row.Record.EndMs));
        Assert.Null(await RecordAsync(tenant, "c-other"));
    }

    [Fact]
    public async Task Text_no_store_can_keep_rejects_only_the_event_that_holds_it()
    {
        var tenant = await fixture.Server.NewAccountAsync();
        var good = Event("t-ok", "INITIATED", "c-text", null, 0, "VOICE", "INBOUND").ToJsonString();
        var surrogate = Event("t-1", "INITIATED", "X", null, 0, "VOICE", "INBOUND").ToJsonString().Replace("\"X\"", "\"\\ud800\"", StringComparison.Ordinal);
        var nul = Event("t-2", "INITIATED", "X", null, 0, "VOICE", "INBOUND").ToJsonString().Replace("\"X\"", "\"a\\u0000b\"", StringComparison.Ordinal);
        var twice = Event("t-3", "INITIATED", "X", null, 0, "VOICE", "INBOUND").ToJsonString().Replace("\"version\":\"0\"", "\"id\":\"t-3\",\"version\":\"0\"", StringComparison.Ordinal);
        var bytes = new List<byte>(Encoding.UTF8.GetBytes("[" + good + "," + surrogate + "," + nul + "," + twice + ","));
        bytes.AddRange(Encoding.UTF8.GetBytes(Event("t-4", "INITIATED", "X", null, 0, "VOICE", "INBOUND").ToJsonString().Replace("\"X\"", "\"\u00ff\"", StringComparison.Ordinal))
            .Select(b => b == 0xC3 ? (byte)0xFF : b).Where(b => b != 0xBF));
        bytes.Add((byte)']');
        using var response = await tenant.SendAsync(HttpMethod.Post, Path, new ByteArrayContent([.. bytes]) { Headers = { ContentType = new("application/json") } });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var answer = JsonNode.Parse(text)!.AsObject();
        Assert.True(Counts(answer) == (1, 0, 4), text);
        var errors = answer["errors"]!.AsArray().Select(e => (e!["index"]!.GetValue<int>(), e["field"]?.GetValue<string>())).ToList();
        Assert.Equal([(1, "detail.contactId"), (2, "detail.contactId"), (3, ""), (4, "detail.contactId")], errors);
        Assert.NotNull(await RecordAsync(tenant, "c-text"));
    }

    [Fact]
    public async Task One_event_or_an_array_is_accepted_with_the_scope_and_a_body_that_is_not_JSON_is_400()
    {
        var tenant = await fixture.Server.NewAccountAsync();
        var single = Event("single-1", "INITIATED", "c-single", null, 0, "VOICE", "INBOUND").ToJsonString();
        Assert.Equal((1, 0, 0), Counts(await PostOkAsync(tenant, "\uFEFF" + single)));
        Assert.Equal((0, 0, 0), Counts(await PostOkAsync(tenant, "[]")));

        foreach (var bad in new[] { "{\"id\":", "[{}", "nope", "" })
        {
            using var response = await tenant.SendAsync(HttpMethod.Post, Path, new StringContent(bad, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        var reader = await fixture.Server.Store.CreateTokenAsync(tenant.Account.Id, Scopes.ReportsRead);
        using (var forbidden = await tenant.SendAsync(HttpMethod.Post, Path, new StringContent(single, Encoding.UTF8, "application/json"), reader))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        }

        using var anonymous = await fixture.Server.Client.PostAsync(Path, new StringContent(single, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    // --- sequences built from the samples ---

    public static TheoryData<string> SequenceNames() => new(Sequences.Keys);

    [Theory]
    [MemberData(nameof(SequenceNames))]
    public Task Each_sequence_gives_the_SPECs_engagements_and_record(string name) => CheckSequenceAsync(fixture.Server, name);

    internal static async Task CheckSequenceAsync(ApiServer server, string name)
    {
        var (events, engagements, record) = Sequences[name];
        var contact = "c-" + name;
        var inOrder = await server.NewAccountAsync();
        var answer = await PostOkAsync(inOrder, new JsonArray([.. events(contact)]).ToJsonString());
        Assert.Equal(0, answer["rejected"]!.GetValue<int>());
        Equal(engagements(contact), await EngagementsAsync(inOrder, contact));
        Assert.Equal(record(contact), (await RecordAsync(inOrder, contact))?.Record);

        // Shuffled, each event twice, in several requests (EventBridge retries and does not keep order).
        var shuffled = await server.NewAccountAsync();
        var random = new Random(name.Length * 104729);
        var twice = events(contact).Concat(events(contact)).OrderBy(_ => random.Next()).ToList();
        for (var i = 0; i < twice.Count; i += 3)
        {
            await PostOkAsync(shuffled, new JsonArray([.. twice.Skip(i).Take(3)]).ToJsonString());
        }

        Equal(engagements(contact), await EngagementsAsync(shuffled, contact));
        Assert.Equal(record(contact), (await RecordAsync(shuffled, contact))?.Record);
    }

    private static readonly Dictionary<string, (Func<string, List<JsonObject>> Events, Func<string, JsonObject[]> Engagements, Func<string, InteractionRecord> Record)> Sequences = new()
    {
        ["answered-call"] = (
            c =>
            [
                Customer(Event("a1", "INITIATED", c, null, 0, "VOICE", "INBOUND"), "+351910000001"),
                Event("a2", "CONNECTED_TO_SYSTEM", c, null, 0, "VOICE", "INBOUND"),
                Queued(Event("a3", "QUEUED", c, null, 10, "VOICE", "INBOUND"), "q-support", 10),
                Agent(Queued(Event("a4", "CONNECTED_TO_AGENT", c, null, 25, "VOICE", "INBOUND"), "q-support", 10), "agent-ana", 25),
                Agent(Event("a5", "DISCONNECTED", c, null, 200, "VOICE", "INBOUND"), "agent-ana", 25),
                Agent(Event("a6", "COMPLETED", c, null, 230, "VOICE", "INBOUND"), "agent-ana", 25),
            ],
            c => [Engagement(c, "agent-ana", "q-support", null, "VOICE", "Routing assignment accepted", 25, 200, "Interaction ended")],
            c => Record(c, Channel.Voice, Direction.Inbound, 25, 200, "FINISHED", "USER", "agent-ana", "q-support", "+351910000001")),
        ["call-abandoned-in-queue"] = (
            c =>
            [
                Event("b1", "INITIATED", c, null, 0, "VOICE", "INBOUND"),
                Queued(Event("b2", "QUEUED", c, null, 5, "VOICE", "INBOUND"), "q-support", 5),
                Event("b3", "DISCONNECTED", c, null, 40, "VOICE", "INBOUND"),
            ],
            _ => [],
            c => Record(c, Channel.Voice, Direction.Inbound, 40, 40, "ABANDONED", "", "", "q-support", "")),
        ["transfer-to-a-queue"] = (
            // SPEC §10 makes DISCONNECTED end the interaction and initialContactId the interaction: the first contact's
            // DISCONNECTED (when Ana leaves the transferred call) ends it, so Bob's later leg starts no engagement
            // (docs/connectors.md, "Transfers").
            c =>
            [
                Event("e1", "INITIATED", c, null, 0, "VOICE", "INBOUND"),
                Queued(Event("e2", "QUEUED", c, null, 5, "VOICE", "INBOUND"), "q-support", 5),
                Agent(Event("e3", "CONNECTED_TO_AGENT", c, null, 10, "VOICE", "INBOUND"), "agent-ana", 10),
                Event("e4", "INITIATED", c + "-2", c, 100, "VOICE", "TRANSFER"),
                Queued(Event("e5", "QUEUED", c + "-2", c, 100.5, "VOICE", "TRANSFER"), "q-billing", 100.5),
                Agent(Event("e6", "DISCONNECTED", c, null, 101, "VOICE", "INBOUND"), "agent-ana", 10),
                Agent(Event("e7", "CONNECTED_TO_AGENT", c + "-2", c, 130, "VOICE", "TRANSFER"), "agent-bob", 130),
                Agent(Event("e8", "DISCONNECTED", c + "-2", c, 300, "VOICE", "TRANSFER"), "agent-bob", 130),
            ],
            c => [Engagement(c, "agent-ana", "q-support", null, "VOICE", "Routing assignment accepted", 10, 100.5, "Transferred")],
            c => Record(c, Channel.Voice, Direction.Inbound, 10, 101, "FINISHED", "USER", "agent-bob", "q-billing", "")),
        ["transfer-to-another-agent"] = (
            // A quick-connect transfer: Bob answers (contact 2, queued in his agent queue) before Ana leaves.
            c =>
            [
                Event("d1", "INITIATED", c, null, 0, "VOICE", "INBOUND"),
                Queued(Event("d2", "QUEUED", c, null, 5, "VOICE", "INBOUND"), "q-support", 5),
                Agent(Event("d3", "CONNECTED_TO_AGENT", c, null, 10, "VOICE", "INBOUND"), "agent-ana", 10),
                Event("d4", "INITIATED", c + "-2", c, 100, "VOICE", "TRANSFER"),
                Queued(Event("d5", "QUEUED", c + "-2", c, 101, "VOICE", "TRANSFER"), "agent/agent-bob", 101),
                Agent(Event("d6", "CONNECTED_TO_AGENT", c + "-2", c, 110, "VOICE", "TRANSFER"), "agent-bob", 110),
                Agent(Event("d7", "DISCONNECTED", c, null, 120, "VOICE", "INBOUND"), "agent-ana", 10),
                Agent(Event("d8", "DISCONNECTED", c + "-2", c, 300, "VOICE", "TRANSFER"), "agent-bob", 110),
            ],
            c =>
            [
                Engagement(c, "agent-ana", "q-support", null, "VOICE", "Routing assignment accepted", 10, 101, "Transferred"),
                Engagement(c, "agent-bob", "agent-bob", null, "VOICE", "Routing assignment accepted", 110, 120, "Interaction ended"),
            ],
            c => Record(c, Channel.Voice, Direction.Inbound, 10, 120, "FINISHED", "USER", "agent-bob", "agent-bob", "")),
        ["outbound-call"] = (
            c =>
            [
                Event("f1", "INITIATED", c, null, 0, "VOICE", "OUTBOUND"),
                Agent(Event("f2", "CONNECTED_TO_AGENT", c, null, 1, "VOICE", "OUTBOUND"), "agent-ana", 1),
                Agent(Event("f3", "DISCONNECTED", c, null, 90, "VOICE", "OUTBOUND"), "agent-ana", 1),
            ],
            c => [Engagement(c, "agent-ana", null, null, "VOICE", "Routing assignment accepted", 1, 90, "Interaction ended")],
            c => Record(c, Channel.Voice, Direction.Outbound, 1, 90, "FINISHED", "USER", "agent-ana", "", "")),
        ["callback"] = (
            c =>
            [
                Event("g1", "INITIATED", c, null, 0, "VOICE", "CALLBACK"),
                Queued(Event("g2", "QUEUED", c, null, 2, "VOICE", "CALLBACK"), "q-callbacks", 2),
                Agent(Event("g3", "CONNECTED_TO_AGENT", c, null, 30, "VOICE", "CALLBACK"), "agent-ana", 30),
                Agent(Event("g4", "DISCONNECTED", c, null, 200, "VOICE", "CALLBACK"), "agent-ana", 30),
            ],
            c => [Engagement(c, "agent-ana", "q-callbacks", null, "VOICE", "Routing assignment accepted", 30, 200, "Interaction ended")],
            c => Record(c, Channel.Voice, Direction.Outbound, 30, 200, "FINISHED", "USER", "agent-ana", "q-callbacks", "")),
        ["chat"] = (
            // Default settings: the customer's opening message is the only activity contact events show, so the
            // engagement ends by inactivity 10 minutes after it.
            c =>
            [
                Event("h1", "INITIATED", c, null, 0, "CHAT", "API"),
                Queued(Event("h2", "QUEUED", c, null, 3, "CHAT", "API"), "q-chat", 3),
                Agent(Event("h3", "CONNECTED_TO_AGENT", c, null, 20, "CHAT", "API"), "agent-ana", 20),
                Agent(Event("h4", "DISCONNECTED", c, null, 1000, "CHAT", "API"), "agent-ana", 20),
            ],
            c => [Engagement(c, "agent-ana", "q-chat", null, "CHAT", "Routing assignment accepted", 20, 600, "Inactivity timeout")],
            c => Record(c, Channel.Chat, Direction.Inbound, 20, 1000, "FINISHED", "USER", "agent-ana", "q-chat", "")),
    };

    // --- helpers ---

    /// <summary>A contact event in the documented envelope; the detail's timestamp of its type at T0 + <paramref name="at"/>.</summary>
    internal static JsonObject Event(string id, string type, string contact, string? initial, double at, string channel, string method)
    {
        var detail = new JsonObject
        {
            ["eventType"] = type,
            ["contactId"] = contact,
            ["channel"] = channel,
            ["instanceArn"] = Instance,
            ["initiationMethod"] = method,
            ["initiationTimestamp"] = Iso(type == "INITIATED" ? at : 0),
        };
        if (initial is not null)
        {
            detail["initialContactId"] = initial;
            detail["previousContactId"] = initial;
        }

        if (type == "DISCONNECTED")
        {
            detail["disconnectTimestamp"] = Iso(at);
        }

        return new JsonObject
        {
            ["version"] = "0",
            ["id"] = id,
            ["detail-type"] = "Amazon Connect Contact Event",
            ["source"] = "aws.connect",
            ["account"] = "111122223333",
            ["time"] = Iso(at + 0.5), // EventBridge's time is when it was sent, a little after the contact's own time
            ["region"] = "eu-west-1",
            ["resources"] = new JsonArray(Instance + "/contact/" + contact, Instance),
            ["detail"] = detail,
        };
    }

    private static JsonObject Queued(JsonObject e, string queue, double at)
    {
        e["detail"]!["queueInfo"] = new JsonObject { ["queueArn"] = Instance + "/queue/" + queue, ["enqueueTimestamp"] = Iso(at), ["queueType"] = "STANDARD" };
        return e;
    }

    private static JsonObject Agent(JsonObject e, string agent, double connectedAt)
    {
        e["detail"]!["agentInfo"] = new JsonObject { ["agentArn"] = Instance + "/agent/" + agent, ["connectedToAgentTimestamp"] = Iso(connectedAt) };
        return e;
    }

    private static JsonObject Customer(JsonObject e, string address)
    {
        e["detail"]!["customerEndpoint"] = new JsonObject { ["address"] = address, ["type"] = "TELEPHONE_NUMBER" };
        return e;
    }

    private static InteractionRecord Record(string contact, Channel channel, Direction direction, long waiting, double end, string status,
        string agentType, string agent, string groups, string customer) => new()
    {
        InteractionId = contact,
        WaitingTime = waiting,
        StartMs = Ms(0),
        EndMs = Ms(end),
        Duration = (long)Math.Floor(end),
        Channel = channel,
        Status = status,
        Direction = direction,
        AgentType = agentType,
        AgentId = agent,
        Groups = groups,
        ExternalId = "",
        Name = "",
        Contact = customer,
        ContactId = "",
        DispositionName = "",
        Notes = "",
        TranscriptionRecording = "",
    };

    private static IReadOnlyList<byte[]> Translate(JsonObject e) =>
        Assert.IsType<VendorEvent.Translated>(ContactEvents.Map(Encoding.UTF8.GetBytes(e.ToJsonString()), 0)).Events;

    private static Event Parse(byte[] json)
    {
        Assert.True(new EventParser().TryParse(json, 0, out var ev, out var error), error?.ToString());
        return ev!;
    }

    private static long Instant(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    private static (int Accepted, int Ignored, int Rejected) Counts(JsonObject answer) =>
        (answer["accepted"]!.GetValue<int>(), answer["ignored"]!.GetValue<int>(), answer["rejected"]!.GetValue<int>());

    internal static async Task<JsonObject> PostOkAsync(Tenant tenant, string body)
    {
        using var response = await tenant.SendAsync(HttpMethod.Post, Path, new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"POST {Path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }
}
