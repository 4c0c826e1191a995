using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OmniReport.TestSupport;

namespace OmniReport.Api.Tests;

/// <summary>The served OpenAPI document describes every endpoint and equals the copy kept in docs/openapi.json.</summary>
public sealed class OpenApiTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static string Committed => Path.Combine(Scenarios.RepositoryRoot, "docs", "openapi.json");

    [Fact]
    public async Task The_served_document_equals_docs_openapi_json()
    {
        var served = JsonNode.Parse(await fixture.Server.Client.GetStringAsync("/openapi/v1.json"))!;
        var text = served.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
        if (Environment.GetEnvironmentVariable("OMNIREPORT_UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(Committed, text);
        }

        Assert.True(File.Exists(Committed), "docs/openapi.json is missing: run the tests once with OMNIREPORT_UPDATE_OPENAPI=1");
        var committed = JsonNode.Parse(await File.ReadAllTextAsync(Committed))!;
        Assert.True(JsonNode.DeepEquals(served, committed),
            "docs/openapi.json differs from the served document: run the tests with OMNIREPORT_UPDATE_OPENAPI=1 and commit it");
    }

    [Fact]
    public async Task Every_route_is_described_with_its_answers()
    {
        var doc = JsonNode.Parse(await fixture.Server.Client.GetStringAsync("/openapi/v1.json"))!;
        var paths = doc["paths"]!.AsObject();
        var routes = fixture.Server.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => !e.RoutePattern.RawText!.StartsWith("/openapi", StringComparison.Ordinal));
        foreach (var route in routes)
        {
            var path = "/" + route.RoutePattern.RawText!.Trim('/');
            Assert.True(paths.ContainsKey(path), $"{path} is not in the OpenAPI document");
            foreach (var method in route.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods)
            {
                var op = paths[path]![method.ToLowerInvariant()];
                Assert.NotNull(op);
                Assert.NotEmpty(op!["responses"]!.AsObject());
                Assert.NotNull(op["operationId"]);
            }
        }

        var list = paths["/api/v2/engagements"]!["get"]!;
        var names = list["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(["start_time", "end_time", "agent_id", "ticket_id", "group_id", "channel", "page_size", "start_time_cursor", "engagement_id_cursor"], names);
        Assert.NotNull(list["responses"]!["400"]);
        Assert.NotNull(list["security"]);
    }
}
