using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OmniReport.Api.Tests;

/// <summary>
/// Every documented answer schema is what the endpoint really writes: each endpoint is called for its answers, and
/// the JSON that comes back has exactly the documented fields, in the documented order, with the documented types.
/// </summary>
public sealed class OpenApiShapeTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Every_documented_answer_schema_is_the_shape_the_endpoint_writes()
    {
        var doc = JsonNode.Parse(await fixture.Server.Client.GetStringAsync("/openapi/v1.json"))!;
        var t = await fixture.Server.NewAccountAsync();
        await t.PostEventsAsync(Sample.Array(Sample.OneEngagement("shape-1")));
        var engagement = (await t.GetJsonAsync("/api/v2/engagements"))["agent_engagement_data"]![0]!["engagement_id"]!.GetValue<string>();
        const string AggregateBody = """{"interval":{"from":"2026-03-01T00:00:00","to":"2026-03-08T00:00:00"},"granularity":"P1D","group_by":["agent_id"]}""";
        const string JobBody = """{"name":"shape","timezone":"UTC","format":"json","timespan":{"from":"2026-01-01T00:00:00Z","to":"2026-02-01T00:00:00Z"}}""";
        var job = (await Send(t, HttpMethod.Post, "/data/reports/engagements/jobs", JobBody)).Body!["job"]!["id"]!.GetValue<string>();

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
        ];
        foreach (var c in calls)
        {
            var (status, body) = await Send(t, c.Method, c.Path, c.Body, c.Token);
            if (c.Path.EndsWith(job, StringComparison.Ordinal) && status == HttpStatusCode.SeeOther)
            {
                status = HttpStatusCode.OK; // the job finished meanwhile: 303 documents the same envelope
            }

            var where = $"{c.Method} {c.Path} {(int)c.Status}";
            Assert.True(status == c.Status, $"{where}: answered {(int)status} {body}");
            var schema = doc["paths"]?[c.Template]?[c.Method.Method.ToLowerInvariant()]?["responses"]?[((int)c.Status).ToString(System.Globalization.CultureInfo.InvariantCulture)]
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

    private static async Task<(HttpStatusCode Status, JsonNode? Body)> Send(Tenant t, HttpMethod method, string path, string? body, bool token = true)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json") };
        if (token)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", t.Token);
        }

        using var response = await t.Server.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }
}
