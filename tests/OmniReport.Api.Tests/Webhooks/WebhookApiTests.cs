using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using OmniReport.Storage;

namespace OmniReport.Api.Tests.Webhooks;

/// <summary><c>/api/v2/webhooks</c> (SPEC §9): create, list, get, delete, validation, scope, and the target setting.</summary>
public sealed class WebhookApiTests : IAsyncLifetime
{
    private ApiServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await ApiServer.StartAsync(new ApiOptions { RateLimitPerMinute = 0, WebhookWorkers = 0 });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)> Send(Tenant t, HttpMethod method, string path, string? body = null)
    {
        var response = await t.SendAsync(method, path, body is null ? null : Json(body));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response);
    }

    [Fact]
    public async Task Create_answers_201_with_id_url_types_and_a_secret_shown_once()
    {
        var t = await _server.NewAccountAsync();
        var (status, body, response) = await Send(t, HttpMethod.Post, "/api/v2/webhooks",
            """{"url": "https://hooks.example.com/omni?x=1", "types": ["engagement.logged", "interaction.updated"]}""");
        Assert.Equal(HttpStatusCode.Created, status);
        var created = body!.AsObject();
        Assert.Equal(["id", "url", "types", "secret"], created.Select(p => p.Key));
        var id = created["id"]!.GetValue<string>();
        Assert.Equal("https://hooks.example.com/omni?x=1", created["url"]!.GetValue<string>());
        Assert.Equal(["engagement.logged", "interaction.updated"], created["types"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.True(created["secret"]!.GetValue<string>().Length >= 32);
        Assert.Equal($"/api/v2/webhooks/{id}", response.Headers.Location!.OriginalString);

        var (getStatus, got, _) = await Send(t, HttpMethod.Get, $"/api/v2/webhooks/{id}");
        Assert.Equal(HttpStatusCode.OK, getStatus);
        Assert.Equal(["id", "url", "types"], got!.AsObject().Select(p => p.Key));
        Assert.Equal(id, got["id"]!.GetValue<string>());

        var (_, list, _) = await Send(t, HttpMethod.Get, "/api/v2/webhooks");
        var one = Assert.Single(list!["webhooks"]!.AsArray());
        Assert.Null(one!["secret"]);
        Assert.Equal(id, one["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Without_types_a_webhook_takes_every_type_and_repeated_types_count_once()
    {
        var t = await _server.NewAccountAsync();
        var (_, all, _) = await Send(t, HttpMethod.Post, "/api/v2/webhooks", """{"url": "https://hooks.example.com/a"}""");
        Assert.Equal(["engagement.logged", "engagement.unlogged", "interaction.updated", "interaction.removed"],
            all!["types"]!.AsArray().Select(n => n!.GetValue<string>()));
        var (_, twice, _) = await Send(t, HttpMethod.Post, "/api/v2/webhooks",
            """{"url": "https://hooks.example.com/b", "types": ["engagement.unlogged", "engagement.unlogged"]}""");
        Assert.Equal(["engagement.unlogged"], twice!["types"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public async Task List_is_oldest_first_delete_answers_204_and_then_404()
    {
        var t = await _server.NewAccountAsync();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var (_, body, _) = await Send(t, HttpMethod.Post, "/api/v2/webhooks", $$"""{"url": "https://hooks.example.com/{{i}}"}""");
            ids.Add(body!["id"]!.GetValue<string>());
            _server.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var (_, list, _) = await Send(t, HttpMethod.Get, "/api/v2/webhooks");
        Assert.Equal(ids, list!["webhooks"]!.AsArray().Select(w => w!["id"]!.GetValue<string>()));

        Assert.Equal(HttpStatusCode.NoContent, (await Send(t, HttpMethod.Delete, $"/api/v2/webhooks/{ids[1]}")).Status);
        var (status, error, _) = await Send(t, HttpMethod.Delete, $"/api/v2/webhooks/{ids[1]}");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("RecordNotFound", error!["error"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await Send(t, HttpMethod.Get, $"/api/v2/webhooks/{ids[1]}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(t, HttpMethod.Get, $"/api/v2/webhooks/{ids[1]}/deliveries")).Status);
        (_, list, _) = await Send(t, HttpMethod.Get, "/api/v2/webhooks");
        Assert.Equal([ids[0], ids[2]], list!["webhooks"]!.AsArray().Select(w => w!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task An_account_never_sees_another_accounts_webhook()
    {
        var a = await _server.NewAccountAsync();
        var b = await _server.NewAccountAsync();
        var (_, body, _) = await Send(a, HttpMethod.Post, "/api/v2/webhooks", """{"url": "https://hooks.example.com/a"}""");
        var id = body!["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.NotFound, (await Send(b, HttpMethod.Get, $"/api/v2/webhooks/{id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(b, HttpMethod.Get, $"/api/v2/webhooks/{id}/deliveries")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(b, HttpMethod.Delete, $"/api/v2/webhooks/{id}")).Status);
        Assert.Empty((await Send(b, HttpMethod.Get, "/api/v2/webhooks")).Body!["webhooks"]!.AsArray());
        Assert.Equal(HttpStatusCode.OK, (await Send(a, HttpMethod.Get, $"/api/v2/webhooks/{id}")).Status);
    }

    [Fact]
    public async Task A_new_webhook_has_no_deliveries()
    {
        var t = await _server.NewAccountAsync();
        var (_, body, _) = await Send(t, HttpMethod.Post, "/api/v2/webhooks", """{"url": "https://hooks.example.com/a"}""");
        var (status, deliveries, _) = await Send(t, HttpMethod.Get, $"/api/v2/webhooks/{body!["id"]!.GetValue<string>()}/deliveries");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(deliveries!["deliveries"]!.AsArray());
    }

    [Theory]
    [InlineData("""{"types": ["engagement.logged"]}""", "url", "is required")]
    [InlineData("""{"url": null}""", "url", "is required")]
    [InlineData("""{"url": 42}""", "url", "must be a string")]
    [InlineData("""{"url": "hooks.example.com/x"}""", "url", "not an absolute http or https URL")]
    [InlineData("""{"url": "ftp://hooks.example.com/x"}""", "url", "not an absolute http or https URL")]
    [InlineData("""{"url": "file:///etc/passwd"}""", "url", "not an absolute http or https URL")]
    [InlineData("""{"url": "https://user:pw@hooks.example.com/x"}""", "url", "user name or password")]
    [InlineData("""{"url": "https://hooks.example.com/x#top"}""", "url", "fragment")]
    [InlineData("""{"url": "https://hooks.example.com/x", "types": "engagement.logged"}""", "types", "must be an array")]
    [InlineData("""{"url": "https://hooks.example.com/x", "types": []}""", "types", "at least one")]
    [InlineData("""{"url": "https://hooks.example.com/x", "types": ["engagement.logged", "ticket.updated"]}""", "types[1]", "\"ticket.updated\" is not a change type")]
    [InlineData("""{"url": "https://hooks.example.com/x", "types": [7]}""", "types[0]", "7 is not a change type")]
    public async Task A_bad_body_is_422_naming_the_field_and_creates_nothing(string body, string field, string says)
    {
        var t = await _server.NewAccountAsync();
        var (status, error, _) = await Send(t, HttpMethod.Post, "/api/v2/webhooks", body);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("InvalidValue", error!["error"]!.GetValue<string>());
        var detail = Assert.Single(error["details"]!.AsObject());
        Assert.Equal(field, detail.Key);
        Assert.Contains(says, detail.Value![0]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty((await Send(t, HttpMethod.Get, "/api/v2/webhooks")).Body!["webhooks"]!.AsArray());
    }

    [Fact]
    public async Task A_very_long_url_is_422()
    {
        var t = await _server.NewAccountAsync();
        var (status, error, _) = await Send(t, HttpMethod.Post, "/api/v2/webhooks", $$"""{"url": "https://hooks.example.com/{{new string('a', 2100)}}"}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("at most 2000 characters", error!["description"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json", HttpStatusCode.BadRequest)]
    [InlineData("[1, 2]", HttpStatusCode.BadRequest)]
    public async Task A_body_that_is_not_an_object_is_400(string body, HttpStatusCode expected)
    {
        var t = await _server.NewAccountAsync();
        Assert.Equal(expected, (await Send(t, HttpMethod.Post, "/api/v2/webhooks", body)).Status);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/hook", "loopback")]
    [InlineData("http://localhost/hook", "loopback")]
    [InlineData("http://[::1]/hook", "loopback")]
    [InlineData("http://10.1.2.3/hook", "private")]
    [InlineData("http://172.20.0.1/hook", "private")]
    [InlineData("http://192.168.1.10/hook", "private")]
    [InlineData("http://100.64.0.1/hook", "private")]
    [InlineData("http://[fd00::1]/hook", "private")]
    [InlineData("http://169.254.169.254/latest/meta-data", "link-local")]
    [InlineData("http://[fe80::1]/hook", "link-local")]
    [InlineData("http://0.0.0.0/hook", "unspecified")]
    [InlineData("http://[::ffff:10.0.0.1]/hook", "private")]
    [InlineData("http://224.0.0.1/hook", "multicast")]
    public async Task By_default_a_webhook_to_a_loopback_private_or_link_local_address_is_refused(string url, string kind)
    {
        var t = await _server.NewAccountAsync();
        var (status, error, _) = await Send(t, HttpMethod.Post, "/api/v2/webhooks", $$"""{"url": "{{url}}"}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        var description = error!["details"]!["url"]![0]!["description"]!.GetValue<string>();
        Assert.Contains($" {kind} address", description, StringComparison.Ordinal);
        Assert.Contains("webhook-targets", description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_public_address_is_accepted_by_default()
    {
        var t = await _server.NewAccountAsync();
        Assert.Equal(HttpStatusCode.Created, (await Send(t, HttpMethod.Post, "/api/v2/webhooks", """{"url": "http://203.0.113.7:8443/hook"}""")).Status);
    }

    [Fact]
    public async Task With_webhook_targets_any_a_loopback_address_is_accepted()
    {
        await using var server = await ApiServer.StartAsync(new ApiOptions { RateLimitPerMinute = 0, WebhookWorkers = 0, WebhookTargets = Api.Webhooks.WebhookTargets.Any });
        var t = await server.NewAccountAsync();
        Assert.Equal(HttpStatusCode.Created, (await Send(t, HttpMethod.Post, "/api/v2/webhooks", """{"url": "http://127.0.0.1:9/hook"}""")).Status);
    }

    [Fact]
    public async Task Webhooks_need_the_admin_scope()
    {
        var t = await _server.NewAccountAsync(Scopes.ReportsRead | Scopes.EventsWrite);
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(t, HttpMethod.Get, "/api/v2/webhooks")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(t, HttpMethod.Post, "/api/v2/webhooks", """{"url": "https://hooks.example.com/a"}""")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(t with { Token = "nope" }, HttpMethod.Get, "/api/v2/webhooks")).Status);
    }
}
