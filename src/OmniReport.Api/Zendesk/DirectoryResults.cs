using System.ComponentModel;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;
using OmniReport.Core.Reports;
using OmniReport.Storage;

namespace OmniReport.Api.Zendesk;

/// <summary>200: <c>{"agents": [{"id", "name"}], "count": n}</c>.</summary>
public sealed class AgentsResult(IReadOnlyList<AgentEntry> agents) : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    int? IStatusCodeHttpResult.StatusCode => StatusCodes.Status200OK;

    /// <inheritdoc />
    public Task ExecuteAsync(HttpContext httpContext) => ListJson.WriteAsync(httpContext, "agents", agents.Count, w =>
    {
        foreach (var a in agents)
        {
            w.WriteStartObject();
            ListJson.WriteId(w, a.AgentId);
            w.WriteString("name"u8, a.Name);
            w.WriteEndObject();
        }
    });

    /// <inheritdoc />
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(AgentsDoc), ["application/json"]));
    }
}

/// <summary>200: <c>{"groups": [{"id", "name", "names"}], "count": n}</c>.</summary>
public sealed class GroupsResult(IReadOnlyList<GroupEntry> groups) : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    int? IStatusCodeHttpResult.StatusCode => StatusCodes.Status200OK;

    /// <inheritdoc />
    public Task ExecuteAsync(HttpContext httpContext) => ListJson.WriteAsync(httpContext, "groups", groups.Count, w =>
    {
        foreach (var g in groups)
        {
            w.WriteStartObject();
            ListJson.WriteId(w, g.GroupId);
            if (g.Names.Count > 0)
            {
                w.WriteString("name"u8, g.Names[0]);
            }
            else
            {
                w.WriteNull("name"u8);
            }

            w.WriteStartArray("names"u8);
            foreach (var n in g.Names)
            {
                w.WriteStringValue(n);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }
    });

    /// <inheritdoc />
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(GroupsDoc), ["application/json"]));
    }
}

#pragma warning disable CA1812 // never instantiated: they exist for the OpenAPI document

/// <summary>An agent and its name.</summary>
internal sealed record AgentDoc(
    [property: Description("The agent id (integer when canonical, else string).")] object Id,
    [property: Description("The name on the latest event that names the agent.")] string Name);

/// <summary>The answer of GET /api/v2/agents.</summary>
internal sealed record AgentsDoc(
    [property: Description("By id (ordinal).")] IReadOnlyList<AgentDoc> Agents,
    long Count);

/// <summary>A group and the texts interaction records give it.</summary>
internal sealed record GroupDoc(
    [property: Description("The group id (integer when canonical, else string).")] object Id,
    [property: Description("The first of names, or null when no interaction record is in this group now.")] string? Name,
    [property: Description("The groups texts of the interaction records whose current group this is, most frequent first.")] IReadOnlyList<string> Names);

/// <summary>The answer of GET /api/v2/groups.</summary>
internal sealed record GroupsDoc(
    [property: Description("By id (ordinal).")] IReadOnlyList<GroupDoc> Groups,
    long Count);

#pragma warning restore CA1812
