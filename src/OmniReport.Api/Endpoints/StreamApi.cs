using Microsoft.AspNetCore.Http.HttpResults;
using OmniReport.Api.Auth;
using OmniReport.Api.Live;
using OmniReport.Api.Zendesk;
using OmniReport.Storage;

namespace OmniReport.Api.Endpoints;

/// <summary><c>GET /api/v2/stream</c> (SPEC §9): the account's changes as server-sent events.</summary>
public static class StreamApi
{
    /// <summary>The operation id, which the OpenAPI setup gives its query parameters.</summary>
    internal const string Operation = "StreamChanges";

    /// <summary>The parameters the handler reads itself (so that it can name a bad one), for the OpenAPI document.</summary>
    internal static readonly (string Name, Microsoft.OpenApi.ParameterLocation In, string Description)[] Parameters =
    [
        ("types", Microsoft.OpenApi.ParameterLocation.Query, "Comma-separated event names to send (default: all): engagement.logged, engagement.unlogged, interaction.updated (brings interaction.removed), interaction.removed."),
        ("Last-Event-ID", Microsoft.OpenApi.ParameterLocation.Header, "Resume after this id: every later change is sent first. Sent by EventSource when it reconnects."),
        (StreamRequest.LastEventIdParameter, Microsoft.OpenApi.ParameterLocation.Query, "Resume after this id, for clients that cannot send the header (the header wins)."),
        (QueryToken.Parameter, Microsoft.OpenApi.ParameterLocation.Query, "The token, for browsers' EventSource, which cannot send Authorization."),
    ];

    /// <summary>Maps the resource.</summary>
    public static IEndpointRouteBuilder MapStream(this IEndpointRouteBuilder app)
    {
        app.MapGet(Dialect.Prefix + "/stream", Stream)
            .WithTags("Live")
            .RequireScope(Scopes.ReportsRead)
            .AllowQueryToken()
            .WithName(Operation)
            .WithSummary("Follow the account's changes")
            .WithDescription("Server-sent events: engagement.logged, engagement.unlogged, interaction.updated and "
                + "interaction.removed, each with the account's change sequence as its id. Reconnect with Last-Event-ID "
                + "(or ?last_event_id=) to replay what came after it; event: reset when the change log no longer reaches "
                + "back there. A comment line every 15 s keeps proxies from closing the connection. Browsers, whose "
                + "EventSource cannot send headers, may give the token as ?access_token=.")
            .ProducesDialectErrors(400, 401, 403, 429);
        return app;
    }

    internal static Results<EventStreamResult, ZendeskError> Stream(Caller caller, HttpRequest request) =>
        StreamRequest.TryParse(request, out var parsed, out var error)
            ? new EventStreamResult(caller.AccountId, parsed!)
            : error!;
}
