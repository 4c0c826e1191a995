using System.Net;
using System.Text;

namespace OmniReport.Api.Tests;

/// <summary>Errors in the Zendesk dialect everywhere under /api/v2.</summary>
public sealed class ErrorTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Theory]
    [InlineData("/api/v2/nothing-here")]
    [InlineData("/api/v2/engagements/ABC/extra")]
    [InlineData("/api/v2")]
    public async Task An_unknown_path_is_404_RecordNotFound(string path)
    {
        var t = await fixture.Server.NewAccountAsync();
        using var response = await t.GetAsync(path);
        await AuthTests.AssertError(response, HttpStatusCode.NotFound, "RecordNotFound");
    }

    [Theory]
    [InlineData("DELETE", "/api/v2/events")]
    [InlineData("GET", "/api/v2/events")]
    [InlineData("POST", "/api/v2/engagements")]
    [InlineData("PATCH", "/api/v2/settings")]
    [InlineData("DELETE", "/api/v2/engagements/0123456789ABCDEF0123456789ABCDEF")]
    public async Task A_wrong_method_is_405_with_Allow(string method, string path)
    {
        var t = await fixture.Server.NewAccountAsync();
        using var response = await t.SendAsync(new HttpMethod(method), path, new StringContent("[]"));
        await AuthTests.AssertError(response, HttpStatusCode.MethodNotAllowed, "MethodNotAllowed");
        Assert.NotEmpty(response.Content.Headers.Allow);
    }

    [Theory]
    [InlineData("page_size=0", "page_size")]
    [InlineData("page_size=101", "page_size")]
    [InlineData("page_size=ten", "page_size")]
    [InlineData("page_size=-1", "page_size")]
    [InlineData("start_time=yesterday", "start_time")]
    [InlineData("end_time=1.5", "end_time")]
    [InlineData("start_time=200&end_time=100", "end_time")]
    [InlineData("channel=fax", "channel")]
    [InlineData("start_time_cursor=100", "engagement_id_cursor")]
    [InlineData("engagement_id_cursor=ABC", "start_time_cursor")]
    [InlineData("start_time_cursor=x&engagement_id_cursor=ABC", "start_time_cursor")]
    [InlineData("agent_id=1&agent_id=2", "agent_id")]
    [InlineData("start_time=99999999999999999999", "start_time")]
    public async Task A_bad_query_parameter_is_400_naming_it(string query, string parameter)
    {
        var t = await fixture.Server.NewAccountAsync();
        using var response = await t.GetAsync("/api/v2/engagements?" + query);
        var body = await AuthTests.AssertError(response, HttpStatusCode.BadRequest, "InvalidValue");
        var detail = Assert.Single(body["details"]!.AsObject());
        Assert.Equal(parameter, detail.Key);
        Assert.Contains(parameter, body["description"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_engagement_is_404_RecordNotFound()
    {
        var t = await fixture.Server.NewAccountAsync();
        using var response = await t.GetAsync("/api/v2/engagements/0123456789ABCDEF0123456789ABCDEF");
        await AuthTests.AssertError(response, HttpStatusCode.NotFound, "RecordNotFound");
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("[{\"id\": ")]
    [InlineData("{\"events\": 5}")]
    [InlineData("{\"other\": []}")]
    [InlineData("42")]
    [InlineData("")]
    [InlineData("[] []")]
    public async Task A_body_that_is_not_a_JSON_batch_is_400(string body)
    {
        var t = await fixture.Server.NewAccountAsync();
        using var response = await t.SendAsync(HttpMethod.Post, "/api/v2/events", new StringContent(body, Encoding.UTF8, "application/json"));
        await AuthTests.AssertError(response, HttpStatusCode.BadRequest, "BadRequest");
    }

    [Fact]
    public async Task More_than_ten_thousand_events_is_413_and_stores_nothing()
    {
        var t = await fixture.Server.NewAccountAsync();
        var events = Enumerable.Range(0, 10_001).Select(i =>
            $"{{\"id\":\"e{i}\",\"type\":\"interaction.created\",\"occurred_at\":\"2026-03-02T10:00:00Z\",\"interaction_id\":\"i{i}\",\"channel\":\"email\"}}");
        using (var response = await t.SendAsync(HttpMethod.Post, "/api/v2/events", new StringContent(Sample.Array(events), Encoding.UTF8, "application/json")))
        {
            await AuthTests.AssertError(response, HttpStatusCode.RequestEntityTooLarge, "PayloadTooLarge");
        }

        using (var response = await t.SendAsync(HttpMethod.Post, "/api/v2/events", new StringContent(string.Join("\n", events), Encoding.UTF8, "application/x-ndjson")))
        {
            await AuthTests.AssertError(response, HttpStatusCode.RequestEntityTooLarge, "PayloadTooLarge");
        }

        // Exactly 10,000 is allowed, and none of the refused batches was stored.
        var ok = await t.PostEventsAsync(Sample.Array(events.Take(10_000)));
        Assert.Equal(10_000, ok["accepted"]!.GetValue<int>());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_body_over_ten_megabytes_is_413(bool chunked)
    {
        var t = await fixture.Server.NewAccountAsync();
        var big = new string(' ', (10 * 1024 * 1024) - 1);
        HttpContent content = chunked
            ? new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("[" + big + "]")))
            : new StringContent("[" + big + "]", Encoding.UTF8, "application/json");
        if (chunked)
        {
            content.Headers.ContentType = new("application/json");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v2/events") { Content = content };
        request.Headers.Authorization = new("Bearer", t.Token);
        if (chunked)
        {
            request.Headers.TransferEncodingChunked = true;
        }

        using var response = await fixture.Server.Client.SendAsync(request);
        await AuthTests.AssertError(response, HttpStatusCode.RequestEntityTooLarge, "PayloadTooLarge");
    }

    [Fact]
    public async Task Exactly_ten_megabytes_is_accepted()
    {
        var t = await fixture.Server.NewAccountAsync();
        var body = "[" + new string(' ', (10 * 1024 * 1024) - 2) + "]";
        Assert.Equal(10 * 1024 * 1024, Encoding.UTF8.GetByteCount(body));
        var result = await t.PostEventsAsync(body);
        Assert.Equal(0, result["accepted"]!.GetValue<int>());
    }
}
