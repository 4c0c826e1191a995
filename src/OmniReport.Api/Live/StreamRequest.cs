using System.Globalization;
using OmniReport.Api.Zendesk;

namespace OmniReport.Api.Live;

/// <summary>
/// What a client asks of <c>GET /api/v2/stream</c> (SPEC §9): the types it wants, and where it resumes.
/// </summary>
/// <param name="Types">The event names to send (every one when the client names none).</param>
/// <param name="LastEventId">The id it has seen last (<c>Last-Event-ID</c>, else <c>?last_event_id=</c>), or null: from now.</param>
internal sealed record StreamRequest(IReadOnlySet<string> Types, long? LastEventId)
{
    /// <summary>The query parameter an EventSource-less client (or a first connection) may give instead of the header.</summary>
    public const string LastEventIdParameter = "last_event_id";

    /// <summary>Reads the request; a bad value is a 400 naming the parameter, before the stream starts.</summary>
    public static bool TryParse(HttpRequest request, out StreamRequest? parsed, out ZendeskError? error)
    {
        parsed = null;
        error = null;
        var types = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in request.Query["types"])
        {
            foreach (var part in (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!ChangeMessage.Types.Contains(part, StringComparer.Ordinal))
                {
                    error = Dialect.FieldError(StatusCodes.Status400BadRequest, "types",
                        $"unknown type \"{Quote(part)}\"; the types are {string.Join(", ", ChangeMessage.Types)}");
                    return false;
                }

                types.Add(part);
            }
        }

        if (types.Count == 0)
        {
            types.UnionWith(ChangeMessage.Types);
        }
        else if (types.Contains(ChangeMessage.InteractionUpdated))
        {
            // A client that follows records must also learn when one goes away, or it keeps a record the API no
            // longer serves (docs/decisions.md, "Live stream").
            types.Add(ChangeMessage.InteractionRemoved);
        }

        // The header wins: an EventSource reconnects with it while its URL still carries the first ?last_event_id=.
        string? name = null;
        string? text = null;
        if (request.Headers["Last-Event-ID"] is { Count: > 0 } header)
        {
            (name, text) = ("Last-Event-ID", header.ToString());
        }
        else if (request.Query[LastEventIdParameter] is { Count: > 0 } query)
        {
            (name, text) = (LastEventIdParameter, query.ToString());
        }

        long? last = null;
        if (name is not null && !string.IsNullOrWhiteSpace(text))
        {
            if (!long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                error = Dialect.FieldError(StatusCodes.Status400BadRequest, name,
                    $"\"{Quote(text)}\" is not an event id (a whole number this stream sent)");
                return false;
            }

            last = n;
        }

        parsed = new StreamRequest(types, last);
        return true;
    }

    private static string Quote(string value) => value.Length <= 100 ? value : value[..100];
}
