using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OmniReport.Api.Connectors.Twilio;
using OmniReport.Core.Derivation;
using OmniReport.Core.Events;
using OmniReport.Storage;
using static OmniReport.Api.Tests.Connectors.ConnectorKit;

namespace OmniReport.Api.Tests.Connectors;

/// <summary>
/// The Twilio TaskRouter connector (SPEC §10) over HTTP: the auth token endpoint, the X-Twilio-Signature check, the
/// documented callback samples, and call and chat sequences built from them, with the engagements and interaction
/// records the SPEC's rules give, in order and shuffled and delivered twice. SQLite here, PostgreSQL at the end.
/// </summary>
public sealed class TwilioConnectorTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string Token = "twilio-auth-token-0123456789abcdef";

    // --- the signature, as Twilio documents it ---

    [Theory]
    [InlineData("+14158675310", "GvWf1cFY/Q7PnoempGyD5oXAezc=")] // https://www.twilio.com/docs/usage/security#validating-requests
    [InlineData("+14158675309", "RSOYDt4T1cUTdK1PDd93/VVr8B8=")] // the same example in Twilio's helper libraries' tests
    public void The_signature_is_Twilios_published_example(string caller, string signature)
    {
        KeyValuePair<string, string>[] parameters =
        [
            new("To", "+18005551212"), new("From", caller), new("Digits", "1234"), new("CallSid", "CA1234567890ABCDE"), new("Caller", caller),
        ];
        const string url = "https://mycompany.com/myapp.php?foo=1&bar=2";
        Assert.Equal(signature, TwilioSignature.Compute("12345", url, parameters));
        Assert.True(TwilioSignature.IsValid("12345", [url], parameters, signature));
        Assert.False(TwilioSignature.IsValid("54321", [url], parameters, signature));
        Assert.False(TwilioSignature.IsValid("12345", [url + "&baz=3"], parameters, signature));
        parameters[2] = new("Digits", "9999");
        Assert.False(TwilioSignature.IsValid("12345", [url], parameters, signature));
    }

    [Fact]
    public Task A_missing_or_wrong_signature_is_403_and_stores_nothing() => SignatureChecksAsync(fixture.Server);

    internal static async Task SignatureChecksAsync(ApiServer server)
    {
        var tenant = await server.NewAccountAsync();
        var created = Callback("task-created", "EVsig1", 0);

        // No token stored yet: nothing can be signed right.
        await AssertForbiddenAsync(await PostAsync(tenant, created, Token));
        await PutTokenAsync(tenant, Token);

        await AssertForbiddenAsync(await PostAsync(tenant, created, Token, header: null));
        await AssertForbiddenAsync(await PostAsync(tenant, created, "another-token"));
        var tampered = new Dictionary<string, string>(created) { ["TaskSid"] = "WT-someone-else" };
        await AssertForbiddenAsync(await PostAsync(tenant, tampered, Token, signedParameters: created));
        await AssertForbiddenAsync(await PostAsync(tenant, created, Token, header: "bm90IGEgc2lnbmF0dXJl"));
        await AssertForbiddenAsync(await PostAsync(tenant, created, Token, account: "no-such-account"));
        Assert.Null(await RecordAsync(tenant, "WT0000000000000000000000000000001"));
        Assert.Null(await RecordAsync(tenant, "WT-someone-else"));

        // The same callback, signed right: stored now, so nothing was stored before.
        var answer = await PostOkAsync(tenant, created);
        Assert.Equal(1, answer["accepted"]!.GetValue<int>());
        Assert.NotNull(await RecordAsync(tenant, "WT0000000000000000000000000000001"));
    }

    [Fact]
    public async Task Bad_signatures_count_against_the_address_and_over_its_limit_the_body_is_not_read()
    {
        await using var server = await ApiServer.StartAsync(new ApiOptions { RateLimitPerMinute = 0, AddressRateLimitPerMinute = 3, MaxIngestBytes = 4096 });
        server.Clock.Set(T0);
        var tenant = await NewTenantAsync(server);
        var created = Callback("task-created", "EVlimit1", 0);
        await AssertForbiddenAsync(await PostAsync(tenant, created, "another-token"));
        await AssertForbiddenAsync(await PostAsync(tenant, created, Token, header: null));
        await AssertForbiddenAsync(await PostAsync(tenant, created, Token, account: "no-such-account"));

        // The address has used its minute: even a right signature waits, and a body over the size limit is not read
        // (it would be 413).
        var huge = new Dictionary<string, string>(created) { ["Padding"] = new string('x', 8192) };
        foreach (var body in new[] { created, huge })
        {
            using var limited = await PostAsync(tenant, body, Token);
            var text = await limited.Content.ReadAsStringAsync();
            Assert.True(limited.StatusCode == HttpStatusCode.TooManyRequests, $"{(int)limited.StatusCode} {text}");
            Assert.Equal("TooManyRequests", JsonNode.Parse(text)!["error"]!.GetValue<string>());
            Assert.InRange(limited.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
        }

        Assert.Null(await RecordAsync(tenant, "WT0000000000000000000000000000001"));
        server.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, (await PostOkAsync(tenant, created))["accepted"]!.GetValue<int>());

        // Signed callbacks never count: the address still has its whole minute for bad ones.
        for (var i = 0; i < 5; i++)
        {
            await PostOkAsync(tenant, Callback("task-created", $"EVlimit-ok{i}", i));
        }

        using var tooLarge = await PostAsync(tenant, huge, Token);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        await AssertForbiddenAsync(await PostAsync(tenant, created, "another-token"));
        await AssertForbiddenAsync(await PostAsync(tenant, created, "another-token"));
        using var third = await PostAsync(tenant, created, Token);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
    }

    [Fact]
    public async Task Behind_a_proxy_the_URL_Twilio_signed_is_found_from_the_forwarded_headers_only_with_a_valid_signature()
    {
        var tenant = await NewTenantAsync(fixture.Server);
        var path = TwilioApi.CallbackPath(tenant.Account.Name);
        var callback = Callback("task-created", "EVproxy", 0);
        foreach (var (signedUrl, forwarded, ok) in new[]
        {
            ("https://omnireport.example.com" + path, true, true),
            ("https://omnireport.example.com:443" + path, true, true),
            ("https://localhost" + path, false, true), // TLS ended at a proxy that says nothing
            ("https://evil.example.com" + path, true, false),
        })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(callback) };
            request.Headers.Add("X-Twilio-Signature", TwilioSignature.Compute(Token, signedUrl, callback));
            if (forwarded)
            {
                request.Headers.Add("X-Forwarded-Proto", "https");
                request.Headers.Add("X-Forwarded-Host", "omnireport.example.com");
            }

            using var response = await fixture.Server.Client.SendAsync(request);
            Assert.True((response.StatusCode == HttpStatusCode.OK) == ok, $"{signedUrl}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task The_printed_callback_URL_of_an_account_whose_name_has_parentheses_and_an_apostrophe_is_accepted()
    {
        // Over a real socket, as Twilio calls: the URL pasted in the console is the one CallbackPath prints
        // ("%28", "%29", "%27"), and Twilio signs it exactly as pasted.
        await using var server = await ApiServer.StartAsync(kestrel: true);
        var account = await server.Store.CreateAccountAsync("Acme (EU) O'Brien");
        var tenant = new Tenant(server, account, await server.Store.CreateTokenAsync(account.Id, Scopes.All));
        await PutTokenAsync(tenant, Token);
        var path = TwilioApi.CallbackPath(account.Name);
        Assert.Contains("Acme%20%28EU%29%20O%27Brien", path, StringComparison.Ordinal);
        var callback = Callback("task-created", "EVparens", 0);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(callback) };
        request.Headers.Add("X-Twilio-Signature", TwilioSignature.Compute(Token, server.Client.BaseAddress!.GetLeftPart(UriPartial.Authority) + path, callback));
        using var response = await server.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {text}");
        Assert.Equal(1, JsonNode.Parse(text)!["accepted"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_auth_token_is_write_only_needs_admin_and_can_be_removed()
    {
        var tenant = await fixture.Server.NewAccountAsync();
        Assert.Equal("{\"auth_token_set\":false}", await GetTextAsync(tenant));
        using (var put = await tenant.SendAsync(HttpMethod.Put, "/api/v2/connectors/twilio", Json("{\"auth_token\":\"" + Token + "\"}")))
        {
            var text = await put.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            Assert.Equal("{\"auth_token_set\":true}", text);
        }

        Assert.Equal("{\"auth_token_set\":true}", await GetTextAsync(tenant));
        Assert.Equal(Token, await fixture.Server.Store.GetConnectorSecretAsync(tenant.Account.Id, "twilio"));

        var writer = await fixture.Server.Store.CreateTokenAsync(tenant.Account.Id, Scopes.EventsWrite | Scopes.ReportsRead);
        using (var forbidden = await tenant.SendAsync(HttpMethod.Put, "/api/v2/connectors/twilio", Json("{\"auth_token\":\"x\"}"), writer))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        }

        foreach (var bad in new[] { "{}", "{\"auth_token\":\"\"}", "{\"auth_token\":42}" })
        {
            using var response = await tenant.SendAsync(HttpMethod.Put, "/api/v2/connectors/twilio", Json(bad));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            Assert.Contains("auth_token", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var notJson = await tenant.SendAsync(HttpMethod.Put, "/api/v2/connectors/twilio", Json("{\"auth_token\":")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        }

        Assert.Equal(Token, await fixture.Server.Store.GetConnectorSecretAsync(tenant.Account.Id, "twilio"));
        using (var remove = await tenant.SendAsync(HttpMethod.Put, "/api/v2/connectors/twilio", Json("{\"auth_token\":null}")))
        {
            Assert.Equal("{\"auth_token_set\":false}", await remove.Content.ReadAsStringAsync());
        }

        await AssertForbiddenAsync(await PostAsync(tenant, Callback("task-created", "EVx", 0), Token));
    }

    // --- the documented samples ---

    [Theory]
    [InlineData("task-created", "accepted")]
    [InlineData("task-queue-entered", "accepted")]
    [InlineData("reservation-created", "accepted")]
    [InlineData("reservation-accepted", "accepted")]
    [InlineData("reservation-rejected", "accepted")]
    [InlineData("reservation-timeout", "accepted")]
    [InlineData("task-completed", "accepted")]
    [InlineData("task-canceled", "accepted")]
    [InlineData("reservation-wrapup", "ignored")]
    [InlineData("worker-activity-update", "ignored")]
    public async Task Each_documented_callback_is_stored_once_or_ignored(string sample, string outcome)
    {
        var tenant = await NewTenantAsync(fixture.Server);
        var callback = Template(sample);
        var first = await PostOkAsync(tenant, callback);
        Assert.Equal(outcome == "accepted" ? 1 : 0, first["accepted"]!.GetValue<int>());
        Assert.Equal(outcome == "ignored" ? 1 : 0, first["ignored"]!.GetValue<int>());
        Assert.Equal(0, first["rejected"]!.GetValue<int>());

        // Redelivered: a duplicate (the callback's Sid is the event id).
        var again = await PostOkAsync(tenant, callback);
        Assert.Equal(0, again["accepted"]!.GetValue<int>());
        Assert.Equal(outcome == "accepted" ? 1 : 0, again["duplicates"]!.GetValue<int>());
    }

    [Fact]
    public void The_documented_samples_map_to_the_events_of_the_mapping()
    {
        var task = Parse(Assert.Single(Map("task-created"))); // a voice Task: no opening message
        Assert.Equal(("EV0000000000000000000000000000001", EventType.InteractionCreated, "WT0000000000000000000000000000001"), (task.Id, task.Type, task.InteractionId));
        Assert.Equal(DateTimeOffset.Parse("2025-01-01T00:00:00Z", CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(), task.OccurredAtMs);
        Assert.Equal((Channel.Voice, Direction.Inbound, "WQ0000000000000000000000000000001", "Everyone"), (task.Channel, task.Direction, task.Details!.GroupId, task.Details.GroupName));

        var accepted = Parse(Map("reservation-accepted")[0]);
        Assert.Equal((EventType.OfferAccepted, "WK0000000000000000000000000000001", "alice"), (accepted.Type, accepted.AgentId, accepted.AgentName));
        Assert.Equal(EventType.OfferCreated, Parse(Map("reservation-created")[0]).Type);
        Assert.Equal(EventType.OfferDeclined, Parse(Map("reservation-rejected")[0]).Type);
        Assert.Equal(EventType.OfferExpired, Parse(Map("reservation-timeout")[0]).Type);
        var queue = Parse(Map("task-queue-entered")[0]);
        Assert.Equal((EventType.TransferCreated, "WQ0000000000000000000000000000001", "Everyone", (string?)null), (queue.Type, queue.Details!.GroupId, queue.Details.GroupName, queue.AgentId));
        Assert.Equal((EventType.InteractionEnded, Outcome.Completed), (Parse(Map("task-completed")[0]).Type, Parse(Map("task-completed")[0]).Outcome));
        Assert.Equal(Outcome.Abandoned, Parse(Map("task-canceled")[0]).Outcome);

        // Without TimestampMs the time is Timestamp, in Unix seconds.
        var seconds = Template("task-completed");
        seconds.Remove("TimestampMs");
        seconds["Timestamp"] = "1735689601";
        Assert.Equal(1_735_689_601_000, Parse(Translated(seconds)[0]).OccurredAtMs);

        // Flex Conversations: the medium is the channelType attribute; the customer's opening message comes with the Task.
        var sms = Template("task-created");
        sms["TaskChannelUniqueName"] = "chat";
        sms["TaskAttributes"] = "{\"channelType\":\"sms\",\"direction\":\"inbound\",\"name\":\"Joana\",\"from\":\"+351910000002\"}";
        var smsEvents = Translated(sms);
        Assert.Equal(2, smsEvents.Count);
        var smsTask = Parse(smsEvents[0]);
        Assert.Equal((Channel.Sms, "Joana", "+351910000002"), (smsTask.Channel, smsTask.Details!.RequesterName, smsTask.Details.RequesterContact));
        var opening = Parse(smsEvents[1]);
        Assert.Equal((EventType.MessageCreated, AuthorType.EndUser, smsTask.OccurredAtMs), (opening.Type, opening.AuthorType, opening.OccurredAtMs));

        IReadOnlyList<byte[]> Map(string sample) => Translated(Template(sample));
    }

    [Fact]
    public async Task A_malformed_callback_is_rejected_naming_its_field()
    {
        var tenant = await NewTenantAsync(fixture.Server);
        foreach (var (field, change) in new (string, Action<Dictionary<string, string>>)[]
        {
            ("TaskSid", p => p.Remove("TaskSid")),
            ("WorkerSid", p => p.Remove("WorkerSid")),
            ("TimestampMs", p => p["TimestampMs"] = "soon"),
            ("TimestampMs", p => { p.Remove("TimestampMs"); p.Remove("Timestamp"); }),
            ("TaskSid", p => p["TaskSid"] = ""),
            ("TaskSid", p => p["TaskSid"] = new string('W', 129)),
            ("TaskSid", p => p["TaskSid"] = "WT\0nul"),
            ("WorkerName", p => p["WorkerName"] = "al\0ice"),
            ("EventType", p => p.Remove("EventType")),
        })
        {
            var callback = Template("reservation-accepted");
            change(callback);
            var answer = await PostOkAsync(tenant, callback);
            Assert.Equal((0, 1), (answer["accepted"]!.GetValue<int>(), answer["rejected"]!.GetValue<int>()));
            var error = answer["errors"]![0]!;
            Assert.Equal(field, error["field"]!.GetValue<string>());
            Assert.Equal(0, error["index"]!.GetValue<int>());
        }

        var attributes = Template("task-created");
        attributes["TaskAttributes"] = "{not json";
        Assert.Equal("TaskAttributes", (await PostOkAsync(tenant, attributes))["errors"]![0]!["field"]!.GetValue<string>());
        Assert.Null(await RecordAsync(tenant, "WT0000000000000000000000000000001"));
    }

    [Fact]
    public async Task A_callback_without_Sid_is_identified_by_its_parameters()
    {
        var tenant = await NewTenantAsync(fixture.Server);
        var callback = Template("task-created");
        callback.Remove("Sid");
        Assert.Equal(1, (await PostOkAsync(tenant, callback))["accepted"]!.GetValue<int>());
        Assert.Equal(1, (await PostOkAsync(tenant, callback))["duplicates"]!.GetValue<int>());
        callback["TimestampMs"] = "1735689600001";
        Assert.Equal(1, (await PostOkAsync(tenant, callback))["accepted"]!.GetValue<int>());
    }

    // --- sequences built from the samples ---

    public static TheoryData<string> SequenceNames() => new(Sequences.Keys);

    [Theory]
    [MemberData(nameof(SequenceNames))]
    public Task Each_sequence_gives_the_SPECs_engagements_and_record(string name) => CheckSequenceAsync(fixture.Server, name);

    internal static async Task CheckSequenceAsync(ApiServer server, string name)
    {
        var (callbacks, engagements, record) = Sequences[name];
        var task = "WT" + name;
        var inOrder = await NewTenantAsync(server);
        foreach (var c in callbacks(task))
        {
            var answer = await PostOkAsync(inOrder, c);
            Assert.Equal(0, answer["rejected"]!.GetValue<int>());
        }

        Equal(engagements(task), await EngagementsAsync(inOrder, task));
        var row = await RecordAsync(inOrder, task);
        Assert.NotNull(row);
        Assert.Equal(record(task), row.Record);

        // The same callbacks shuffled, each delivered twice: the same records.
        var shuffled = await NewTenantAsync(server);
        var random = new Random(name.Length * 7919);
        var twice = callbacks(task).Concat(callbacks(task)).OrderBy(_ => random.Next()).ToList();
        foreach (var c in twice)
        {
            await PostOkAsync(shuffled, c);
        }

        Equal(engagements(task), await EngagementsAsync(shuffled, task));
        Assert.Equal(record(task), (await RecordAsync(shuffled, task))!.Record);
    }

    private static readonly Dictionary<string, (Func<string, List<Dictionary<string, string>>> Callbacks, Func<string, JsonObject[]> Engagements, Func<string, InteractionRecord> Record)> Sequences = new()
    {
        ["answered-call"] = (
            t =>
            [
                NewTask(t, "EVa1", 0, "voice", "{\"direction\":\"inbound\",\"name\":\"Maria\",\"from\":\"+351910000001\"}"),
                Queue(t, "EVa2", 0, "WQsupport", "Support"),
                Reservation(t, "EVa3", 5, "reservation-created", "WKalice", "Alice"),
                Reservation(t, "EVa4", 12, "reservation-accepted", "WKalice", "Alice"),
                Reservation(t, "EVa5", 300, "reservation-wrapup", "WKalice", "Alice"),
                Callback("task-completed", "EVa6", 330, ("TaskSid", t)),
            ],
            t => [Engagement(t, "WKalice", "WQsupport", 7, "VOICE", "Routing assignment accepted", 12, 330, "Interaction ended")],
            t => Record(t, Channel.Voice, Direction.Inbound, waiting: 12, end: 330, "FINISHED", "USER", "WKalice", "Support", "Maria", "+351910000001")),
        ["call-abandoned-in-queue"] = (
            t =>
            [
                NewTask(t, "EVb1", 0, "voice", "{\"direction\":\"inbound\",\"from\":\"+351910000003\"}"),
                Queue(t, "EVb2", 0, "WQsupport", "Support"),
                Reservation(t, "EVb3", 5, "reservation-created", "WKalice", "Alice"),
                Reservation(t, "EVb4", 20, "reservation-timeout", "WKalice", "Alice"),
                Callback("task-canceled", "EVb5", 45, ("TaskSid", t)),
            ],
            _ => [],
            t => Record(t, Channel.Voice, Direction.Inbound, waiting: 45, end: 45, "ABANDONED", "", "", "Support", "", "+351910000003")),
        ["rejected-then-accepted"] = (
            t =>
            [
                NewTask(t, "EVc1", 0, "voice", "{}"),
                Queue(t, "EVc2", 0, "WQsupport", "Support"),
                Reservation(t, "EVc3", 3, "reservation-created", "WKalice", "Alice"),
                Reservation(t, "EVc4", 8, "reservation-rejected", "WKalice", "Alice"),
                Reservation(t, "EVc5", 10, "reservation-created", "WKbob", "Bob"),
                Reservation(t, "EVc6", 16, "reservation-accepted", "WKbob", "Bob"),
                Callback("task-completed", "EVc7", 200, ("TaskSid", t)),
            ],
            t => [Engagement(t, "WKbob", "WQsupport", 6, "VOICE", "Routing assignment accepted", 16, 200, "Interaction ended")],
            t => Record(t, Channel.Voice, Direction.Inbound, waiting: 16, end: 200, "FINISHED", "USER", "WKbob", "Support", "", "")),
        ["transfer-to-another-agent"] = (
            t =>
            [
                NewTask(t, "EVd1", 0, "voice", "{}"),
                Queue(t, "EVd2", 0, "WQsupport", "Support"),
                Reservation(t, "EVd3", 2, "reservation-created", "WKalice", "Alice"),
                Reservation(t, "EVd4", 5, "reservation-accepted", "WKalice", "Alice"),
                Reservation(t, "EVd5", 100, "reservation-created", "WKbob", "Bob"),
                Reservation(t, "EVd6", 104, "reservation-accepted", "WKbob", "Bob"),
                Reservation(t, "EVd7", 105, "reservation-wrapup", "WKalice", "Alice"),
                Callback("task-completed", "EVd8", 250, ("TaskSid", t)),
            ],
            t =>
            [
                Engagement(t, "WKalice", "WQsupport", 3, "VOICE", "Routing assignment accepted", 5, 104, "Manual reassignment"),
                Engagement(t, "WKbob", "WQsupport", 4, "VOICE", "Routing assignment accepted", 104, 250, "Interaction ended"),
            ],
            t => Record(t, Channel.Voice, Direction.Inbound, waiting: 5, end: 250, "FINISHED", "USER", "WKbob", "Support", "", "")),
        ["transfer-to-a-queue"] = (
            t =>
            [
                NewTask(t, "EVe1", 0, "voice", "{}"),
                Queue(t, "EVe2", 0, "WQsupport", "Support"),
                Reservation(t, "EVe3", 2, "reservation-created", "WKalice", "Alice"),
                Reservation(t, "EVe4", 5, "reservation-accepted", "WKalice", "Alice"),
                Queue(t, "EVe5", 60, "WQbilling", "Billing"),
                Reservation(t, "EVe6", 70, "reservation-created", "WKbob", "Bob"),
                Reservation(t, "EVe7", 75, "reservation-accepted", "WKbob", "Bob"),
                Callback("task-completed", "EVe8", 200, ("TaskSid", t)),
            ],
            t =>
            [
                Engagement(t, "WKalice", "WQsupport", 3, "VOICE", "Routing assignment accepted", 5, 60, "Transferred"),
                Engagement(t, "WKbob", "WQbilling", 5, "VOICE", "Routing assignment accepted", 75, 200, "Interaction ended"),
            ],
            t => Record(t, Channel.Voice, Direction.Inbound, waiting: 5, end: 200, "FINISHED", "USER", "WKbob", "Billing", "", "")),
        ["outbound-call"] = (
            t =>
            [
                NewTask(t, "EVf1", 0, "voice", "{\"direction\":\"outbound\",\"name\":\"Rui\",\"from\":\"+351210000000\",\"to\":\"+351910000009\"}", queue: false),
                Reservation(t, "EVf2", 0, "reservation-created", "WKalice", "Alice"),
                Reservation(t, "EVf3", 1, "reservation-accepted", "WKalice", "Alice"),
                Callback("task-completed", "EVf4", 120, ("TaskSid", t)),
            ],
            t => [Engagement(t, "WKalice", null, 1, "VOICE", "Routing assignment accepted", 1, 120, "Interaction ended")],
            t => Record(t, Channel.Voice, Direction.Outbound, waiting: 1, end: 120, "FINISHED", "USER", "WKalice", "", "Rui", "+351210000000")),
        ["chat"] = (
            // Default settings: the only end-user activity is the opening message, so the engagement ends by
            // inactivity 10 minutes after it (docs/connectors.md recommends messaging_activity_routing for Flex).
            t =>
            [
                NewTask(t, "EVg1", 0, "chat", "{\"channelType\":\"web\",\"direction\":\"inbound\",\"name\":\"Joana\",\"from\":\"joana@example.com\"}"),
                Queue(t, "EVg2", 0, "WQchat", "Chat"),
                Reservation(t, "EVg3", 30, "reservation-created", "WKalice", "Alice"),
                Reservation(t, "EVg4", 40, "reservation-accepted", "WKalice", "Alice"),
                Callback("task-completed", "EVg5", 900, ("TaskSid", t)),
            ],
            t => [Engagement(t, "WKalice", "WQchat", 10, "CHAT", "Routing assignment accepted", 40, 600, "Inactivity timeout")],
            t => Record(t, Channel.Chat, Direction.Inbound, waiting: 40, end: 900, "FINISHED", "USER", "WKalice", "Chat", "Joana", "joana@example.com")),
    };

    [Fact]
    public async Task A_chat_with_messaging_activity_routing_lasts_until_the_Task_completes()
    {
        var tenant = await NewTenantAsync(fixture.Server);
        await tenant.PutSettingsAsync("{\"messaging_activity_routing\":true}");
        const string t = "WTchat-routing";
        foreach (var c in Sequences["chat"].Callbacks(t))
        {
            await PostOkAsync(tenant, c);
        }

        Equal([Engagement(t, "WKalice", "WQchat", 10, "CHAT", "Routing assignment accepted", 40, 900, "Interaction ended")], await EngagementsAsync(tenant, t));
    }

    // --- helpers ---

    private static Dictionary<string, string> NewTask(string task, string sid, double at, string channel, string attributes, bool queue = true)
    {
        var c = Callback("task-created", sid, at, ("TaskSid", task), ("TaskChannelUniqueName", channel), ("TaskAttributes", attributes));
        if (!queue)
        {
            c.Remove("TaskQueueSid");
            c.Remove("TaskQueueName");
        }
        else
        {
            c["TaskQueueSid"] = "WQsupport";
            c["TaskQueueName"] = "Support";
            if (channel == "chat")
            {
                c["TaskQueueSid"] = "WQchat";
                c["TaskQueueName"] = "Chat";
            }
        }

        return c;
    }

    private static Dictionary<string, string> Queue(string task, string sid, double at, string queue, string name) =>
        Callback("task-queue-entered", sid, at, ("TaskSid", task), ("TaskQueueSid", queue), ("TaskQueueName", name));

    private static Dictionary<string, string> Reservation(string task, string sid, double at, string sample, string worker, string name) =>
        Callback(sample, sid, at, ("TaskSid", task), ("WorkerSid", worker), ("WorkerName", name), ("ReservationSid", "WR" + task + worker));

    private static InteractionRecord Record(string task, Channel channel, Direction direction, long waiting, double end, string status,
        string agentType, string agent, string groups, string name, string contact) => new()
    {
        InteractionId = task,
        WaitingTime = waiting,
        StartMs = Ms(0),
        EndMs = Ms(end),
        Duration = (long)end,
        Channel = channel,
        Status = status,
        Direction = direction,
        AgentType = agentType,
        AgentId = agent,
        Groups = groups,
        ExternalId = "",
        Name = name,
        Contact = contact,
        ContactId = "",
        DispositionName = "",
        Notes = "",
        TranscriptionRecording = "",
    };

    /// <summary>A documented sample with its Sid and time replaced (and other changes; null removes a parameter).</summary>
    internal static Dictionary<string, string> Callback(string sample, string sid, double at, params (string Name, string? Value)[] changes)
    {
        var c = Template(sample);
        c["Sid"] = sid;
        c["TimestampMs"] = Ms(at).ToString(CultureInfo.InvariantCulture);
        c["Timestamp"] = (Ms(at) / 1000).ToString(CultureInfo.InvariantCulture);
        foreach (var (name, value) in changes)
        {
            if (value is null)
            {
                c.Remove(name);
            }
            else
            {
                c[name] = value;
            }
        }

        return c;
    }

    internal static Dictionary<string, string> Template(string sample) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(DataPath("twilio", sample + ".json")))!;

    private static IReadOnlyList<byte[]> Translated(Dictionary<string, string> callback) =>
        Assert.IsType<Api.Connectors.VendorEvent.Translated>(TaskRouterEvents.Map([.. callback])).Events;

    private static Event Parse(byte[] json)
    {
        Assert.True(new EventParser().TryParse(json, 0, out var ev, out var error), error?.ToString());
        return ev!;
    }

    internal static async Task<Tenant> NewTenantAsync(ApiServer server)
    {
        var tenant = await server.NewAccountAsync();
        await PutTokenAsync(tenant, Token);
        return tenant;
    }

    private static async Task PutTokenAsync(Tenant tenant, string token)
    {
        using var response = await tenant.SendAsync(HttpMethod.Put, "/api/v2/connectors/twilio", Json("{\"auth_token\":\"" + token + "\"}"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<string> GetTextAsync(Tenant tenant)
    {
        using var response = await tenant.GetAsync("/api/v2/connectors/twilio");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    /// <summary>Posts a callback as Twilio does: form-encoded, signed with <paramref name="authToken"/> over the full URL.</summary>
    private static async Task<HttpResponseMessage> PostAsync(Tenant tenant, Dictionary<string, string> parameters, string authToken,
        string? account = null, Dictionary<string, string>? signedParameters = null, string? header = "sign")
    {
        var path = TwilioApi.CallbackPath(account ?? tenant.Account.Name);
        var url = new Uri(tenant.Server.Client.BaseAddress!, path).ToString();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(parameters) };
        if (header is not null)
        {
            request.Headers.Add("X-Twilio-Signature", header == "sign" ? TwilioSignature.Compute(authToken, url, signedParameters ?? parameters) : header);
        }

        return await tenant.Server.Client.SendAsync(request);
    }

    internal static async Task<JsonObject> PostOkAsync(Tenant tenant, Dictionary<string, string> callback)
    {
        using var response = await PostAsync(tenant, callback, Token);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"callback: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    private static async Task AssertForbiddenAsync(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("Forbidden", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!.GetValue<string>());
        }
    }
}
