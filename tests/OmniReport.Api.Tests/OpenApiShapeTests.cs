using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OmniReport.Storage;

namespace OmniReport.Api.Tests;

/// <summary>
/// Every documented answer schema is what the endpoint really writes: each endpoint is called for its answers (every
/// documented success answer, and errors of each dialect), and the JSON that comes back has exactly the documented
/// fields, in the documented order, with the documented types.
/// </summary>
public sealed class OpenApiShapeTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string TwilioToken = "shape-twilio-auth-token";

    [Fact]
    public async Task Every_documented_answer_schema_is_the_shape_the_endpoint_writes()
    {
        var doc = JsonNode.Parse(await fixture.Server.Client.GetStringAsync("/openapi/v1.json"))!;
        var t = await fixture.Server.NewAccountAsync();
        await t.PostEventsAsync(Sample.Array(Sample.OneEngagement("shape-1")));
        var engagement = (await t.GetJsonAsync("/api/v2/engagements"))["agent_engagement_data"]![0]!["engagement_id"]!.GetValue<string>();
        const string AggregateBody = """{"interval":{"from":"2026-03-01T00:00:00","to":"2026-03-08T00:00:00"},"granularity":"P1D","group_by":["agent_id"]}""";
        const string JobBody = """{"name":"shape","timezone":"UTC","format":"json","timespan":{"from":"2026-01-01T00:00:00Z","to":"2026-02-01T00:00:00Z"}}""";
        var job = (await Send(t, HttpMethod.Post, "/data/reports/engagements/jobs", JobBody, $"Bearer {t.Token}")).Body!["job"]!["id"]!.GetValue<string>();
        const string WebhookBody = """{"url":"http://203.0.113.7/shape","types":["engagement.logged"]}""";
        var webhook = (await Send(t, HttpMethod.Post, "/api/v2/webhooks", WebhookBody, $"Bearer {t.Token}")).Body!["id"]!.GetValue<string>();

        (HttpMethod Method, string Path, string Template, string? Body, HttpStatusCode Status, bool Token)[] calls =
        [
            (HttpMethod.Get, "/healthz", "/healthz", null, HttpStatusCode.OK, false),
            (HttpMethod.Post, "/api/v2/events", "/api/v2/events", Sample.Array(Sample.OneEngagement("shape-2")), HttpStatusCode.OK, true),
            (HttpMethod.Post, "/api/v2/events", "/api/v2/events", "{\"nope\":1}", HttpStatusCode.BadRequest, true),
            (HttpMethod.Get, "/api/v2/settings", "/api/v2/settings", null, HttpStatusCode.OK, true),
            (HttpMethod.Put, "/api/v2/settings", "/api/v2/settings", """{"business_hours":{"timezone":"UTC","weekly":[{"day":"mon","start":"09:00","end":"17:00"}],"holidays":["2026-12-25"]}}""", HttpStatusCode.OK, true),
            (HttpMethod.Get, "/api/v2/engagements?page_size=1", "/api/v2/engagements", null, HttpStatusCode.OK, true),
            (HttpMethod.Get, "/api/v2/engagements?page_size=lots", "/api/v2/engagements", null, HttpStatusCode.BadRequest, true),
            (HttpMethod.Get, "/api/v2/engagements", "/api/v2/engagements", null, HttpStatusCode.Unauthorized, false),
            (HttpMethod.Get, $"/api/v2/engagements/{engagement}", "/api/v2/engagements/{engagement_id}", null, HttpStatusCode.OK, true),
            (HttpMethod.Get, "/api/v2/engagements/00000000000000000000000000000000", "/api/v2/engagements/{engagement_id}", null, HttpStatusCode.NotFound, true),
            (HttpMethod.Get, "/api/v2/engagements/open", "/api/v2/engagements/open", null, HttpStatusCode.OK, true),
            (HttpMethod.Get, "/api/v2/engagements/open?limit=0", "/api/v2/engagements/open", null, HttpStatusCode.BadRequest, true),
            (HttpMethod.Get, "/api/v2/interactions/waiting", "/api/v2/interactions/waiting", null, HttpStatusCode.OK, true),
            (HttpMethod.Get, "/api/v2/agents", "/api/v2/agents", null, HttpStatusCode.OK, true),
            (HttpMethod.Get, "/api/v2/groups", "/api/v2/groups", null, HttpStatusCode.OK, true),
            (HttpMethod.Post, "/api/v2/engagements/aggregates", "/api/v2/engagements/aggregates", AggregateBody, HttpStatusCode.OK, true),
            (HttpMethod.Post, "/api/v2/engagements/aggregates", "/api/v2/engagements/aggregates", "{}", HttpStatusCode.UnprocessableEntity, true),
            (HttpMethod.Post, "/api/v2/interactions/aggregates", "/api/v2/interactions/aggregates", AggregateBody, HttpStatusCode.OK, true),
            (HttpMethod.Post, "/api/v2/interactions/aggregates", "/api/v2/interactions/aggregates", AggregateBody, HttpStatusCode.Unauthorized, false),
            (HttpMethod.Post, "/data/reports/engagements/jobs", "/data/reports/{type}/jobs", JobBody, HttpStatusCode.Accepted, true),
            (HttpMethod.Post, "/data/reports/engagements/jobs", "/data/reports/{type}/jobs", "{\"format\":\"xml\"}", HttpStatusCode.BadRequest, true),
            (HttpMethod.Post, "/data/reports/nope/jobs", "/data/reports/{type}/jobs", JobBody, HttpStatusCode.NotFound, true),
            (HttpMethod.Get, "/data/reports/engagements/jobs", "/data/reports/{type}/jobs", null, HttpStatusCode.OK, true),
            (HttpMethod.Get, "/data/reports/engagements/jobs", "/data/reports/{type}/jobs", null, HttpStatusCode.Unauthorized, false),
            (HttpMethod.Get, $"/data/reports/engagements/jobs/{job}", "/data/reports/{type}/jobs/{id}", null, HttpStatusCode.OK, true),
            (HttpMethod.Post, "/api/v2/webhooks", "/api/v2/webhooks", WebhookBody, HttpStatusCode.Created, true),
            (HttpMethod.Post, "/api/v2/webhooks", "/api/v2/webhooks", """{"url":"gopher://x"}""", HttpStatusCode.UnprocessableEntity, true),
            (HttpMethod.Get, "/api/v2/webhooks", "/api/v2/webhooks", null, HttpStatusCode.OK, true),
            (HttpMethod.Get, $"/api/v2/webhooks/{webhook}", "/api/v2/webhooks/{id}", null, HttpStatusCode.OK, true),
            (HttpMethod.Get, "/api/v2/webhooks/wh_none", "/api/v2/webhooks/{id}", null, HttpStatusCode.NotFound, true),
            (HttpMethod.Get, $"/api/v2/webhooks/{webhook}/deliveries", "/api/v2/webhooks/{id}/deliveries", null, HttpStatusCode.OK, true),
        ];
        var exercised = new HashSet<string>(StringComparer.Ordinal);
        var client = await fixture.Server.Store.CreateOAuthClientAsync(t.Account.Id, Scopes.All);
        var basic = "Basic " + Convert.ToBase64String(Encoding.ASCII.GetBytes($"{client.Client.ClientId}:{client.Secret}"));
        var wrong = "Basic " + Convert.ToBase64String(Encoding.ASCII.GetBytes($"{client.Client.ClientId}:not-the-secret"));
        const string Form = "application/x-www-form-urlencoded";
        var rejected = Sample.Array([.. Sample.OneEngagement("shape-3"), "{\"id\":\"bad\"}"]);
        (HttpMethod Method, string Path, string Template, string? Body, string ContentType, string? Authorization, HttpStatusCode Status)[] others =
        [
            (HttpMethod.Post, "/oauth/token", "/oauth/token", "grant_type=client_credentials", Form, basic, HttpStatusCode.OK),
            (HttpMethod.Post, "/oauth/token", "/oauth/token", "grant_type=password", Form, basic, HttpStatusCode.BadRequest),
            (HttpMethod.Post, "/oauth/token", "/oauth/token", "grant_type=client_credentials", Form, wrong, HttpStatusCode.Unauthorized),
            (HttpMethod.Post, "/api/v2/events", "/api/v2/events", rejected, "application/json", $"Bearer {t.Token}", HttpStatusCode.OK),
            (HttpMethod.Put, "/api/v2/connectors/twilio", "/api/v2/connectors/twilio", $"{{\"auth_token\":\"{TwilioToken}\"}}", "application/json", $"Bearer {t.Token}", HttpStatusCode.OK),
            (HttpMethod.Get, "/api/v2/connectors/twilio", "/api/v2/connectors/twilio", null, "application/json", $"Bearer {t.Token}", HttpStatusCode.OK),
            (HttpMethod.Post, "/api/v2/connectors/amazon-connect", "/api/v2/connectors/amazon-connect", "[{\"id\":\"e1\"},{}]", "application/json", $"Bearer {t.Token}", HttpStatusCode.OK),
            (HttpMethod.Post, $"/connectors/twilio/{t.Account.Name}/taskrouter", "/connectors/twilio/{account}/taskrouter", "EventType=task.created", Form, null, HttpStatusCode.Forbidden),
        ];
        foreach (var c in others)
        {
            var (status, body) = await Send(t, c.Method, c.Path, c.Body, authorization: c.Authorization, contentType: c.ContentType);
            Check(c.Method, c.Path, c.Template, c.Status, status, body);
        }

        // A signed TaskRouter callback (the 403 above is an unsigned one).
        var callback = Connectors.TwilioConnectorTests.Callback("task-created", "EVshape", 0);
        var callbackPath = global::OmniReport.Api.Connectors.Twilio.TwilioApi.CallbackPath(t.Account.Name);
        using (var request = new HttpRequestMessage(HttpMethod.Post, callbackPath) { Content = new FormUrlEncodedContent(callback) })
        {
            request.Headers.Add("X-Twilio-Signature", global::OmniReport.Api.Connectors.Twilio.TwilioSignature.Compute(TwilioToken, new Uri(fixture.Server.Client.BaseAddress!, callbackPath).ToString(), callback));
            using var response = await fixture.Server.Client.SendAsync(request);
            Check(HttpMethod.Post, callbackPath, "/connectors/twilio/{account}/taskrouter", HttpStatusCode.OK, response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync()));
        }

        foreach (var c in calls)
        {
            var (status, body) = await Send(t, c.Method, c.Path, c.Body, c.Token ? $"Bearer {t.Token}" : null);
            if (c.Path.EndsWith(job, StringComparison.Ordinal) && status == HttpStatusCode.SeeOther)
            {
                status = HttpStatusCode.OK; // the job finished meanwhile: 303 documents the same envelope
            }

            Check(c.Method, c.Path, c.Template, c.Status, status, body);
        }

        // The json report file, once the job is done (303 from the job).
        for (var i = 0; i < 400 && (await Send(t, HttpMethod.Get, $"/data/reports/engagements/jobs/{job}", null, $"Bearer {t.Token}")).Status != HttpStatusCode.SeeOther; i++)
        {
            await Task.Delay(50);
        }

        var (fileStatus, file) = await Send(t, HttpMethod.Get, $"/data/reports/engagements/files/{job}", null, $"Bearer {t.Token}");
        Check(HttpMethod.Get, $"/data/reports/engagements/files/{job}", "/data/reports/{type}/files/{id}", HttpStatusCode.OK, fileStatus, file);

        // Every success answer the document has a JSON schema for was called for above.
        foreach (var (template, item) in doc["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                foreach (var (status, response) in operation!["responses"]!.AsObject())
                {
                    Assert.True(!status.StartsWith('2') || response?["content"]?["application/json"] is null || exercised.Contains($"{method.ToUpperInvariant()} {template} {status}"),
                        $"{method.ToUpperInvariant()} {template} {status} is documented but not checked here");
                }

                Assert.True(operation["responses"]!.AsObject().Any(r => r.Key.StartsWith('2') || r.Key.StartsWith('3')), $"{method.ToUpperInvariant()} {template}: no success answer documented");
            }
        }

        void Check(HttpMethod method, string path, string template, HttpStatusCode expected, HttpStatusCode status, JsonNode? body)
        {
            exercised.Add($"{method.Method} {template} {(int)expected}");
            var where = $"{method} {path} {(int)expected}";
            Assert.True(status == expected, $"{where}: answered {(int)status} {body}");
            var schema = doc["paths"]?[template]?[method.Method.ToLowerInvariant()]?["responses"]?[((int)expected).ToString(System.Globalization.CultureInfo.InvariantCulture)]
                ?["content"]?["application/json"]?["schema"];
            Assert.True(schema is not null, $"{where}: not documented with a JSON schema");
            Conforms(doc, schema!, body, where);
        }
    }

    private static void Conforms(JsonNode doc, JsonNode schema, JsonNode? value, string where)
    {
        if (schema["$ref"] is { } reference)
        {
            schema = doc["components"]!["schemas"]![reference.GetValue<string>().Split('/')[^1]]!;
        }

        if ((schema["oneOf"] ?? schema["anyOf"]) is { } choices)
        {
            var branches = choices.AsArray().Select(b => b!).ToList();
            if (value is null)
            {
                Assert.True(branches.Any(b => b["type"]?.ToString() == "null"), $"{where}: null where the schema allows none");
                return;
            }

            Conforms(doc, branches.First(b => b["type"]?.ToString() != "null"), value, where);
            return;
        }

        var types = schema["type"] switch
        {
            JsonArray a => a.Select(x => x!.GetValue<string>()).ToHashSet(),
            JsonValue v => [v.GetValue<string>()],
            _ => [],
        };
        if (types.Count == 0)
        {
            return; // any JSON (an id that is an integer or a string)
        }

        if (value is null)
        {
            Assert.True(types.Contains("null"), $"{where}: null where the schema says {string.Join("|", types)}");
            return;
        }

        var kind = value.GetValueKind();
        Assert.True(kind switch
        {
            JsonValueKind.Object => types.Contains("object"),
            JsonValueKind.Array => types.Contains("array"),
            JsonValueKind.String => types.Contains("string"),
            JsonValueKind.Number => types.Contains("integer") || types.Contains("number"),
            JsonValueKind.True or JsonValueKind.False => types.Contains("boolean"),
            _ => false,
        }, $"{where}: {kind} where the schema says {string.Join("|", types)}");
        Assert.True(kind != JsonValueKind.Array || schema["items"] is not null, $"{where}: an array whose items are not described");
        if (kind == JsonValueKind.Array && schema["items"] is { } items)
        {
            foreach (var item in value.AsArray())
            {
                Conforms(doc, items, item, where);
            }
        }
        else if (kind == JsonValueKind.Object && schema["properties"] is JsonObject properties)
        {
            // Every field written is documented, in the documented order; only fields the schema does not require
            // (such as a failed job's failure) may be left out.
            var written = value.AsObject().Select(p => p.Key).ToList();
            Assert.Equal([.. properties.Select(p => p.Key).Where(written.Contains)], written);
            var required = schema["required"]?.AsArray().Select(r => r!.GetValue<string>()) ?? [];
            Assert.All(required, r => Assert.True(written.Contains(r), $"{where}: required field {r} is missing"));
            foreach (var (name, property) in properties.Where(p => written.Contains(p.Key)))
            {
                Conforms(doc, property!, value[name], $"{where} .{name}");
            }
        }
        else if (kind == JsonValueKind.Object && schema["additionalProperties"] is JsonObject entries)
        {
            foreach (var (name, entry) in value.AsObject())
            {
                Conforms(doc, entries, entry, $"{where} .{name}");
            }
        }
    }

    private static async Task<(HttpStatusCode Status, JsonNode? Body)> Send(
        Tenant t, HttpMethod method, string path, string? body, string? authorization, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : new StringContent(body, Encoding.UTF8, contentType) };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await t.Server.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }
}
