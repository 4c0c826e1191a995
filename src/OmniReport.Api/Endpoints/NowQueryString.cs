using System.Globalization;
using OmniReport.Api.Zendesk;
using OmniReport.Core.Events;
using OmniReport.Storage;

namespace OmniReport.Api.Endpoints;

/// <summary>
/// The query string of the "now" endpoints (SPEC §9): <c>channel</c>, <c>group_id</c>, <c>limit</c>; read and
/// validated here and described from here in the OpenAPI document.
/// </summary>
internal static class NowQueryString
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>Name, JSON type and description of every parameter.</summary>
    public static readonly IReadOnlyList<(string Name, bool Integer, string Description)> Parameters =
    [
        ("channel", false, "Only this channel (messaging, chat, email, voice, sms, whatsapp, social; any case)."),
        ("group_id", false, "Only this group id (open engagements: the group at the start; waiting interactions: the current group)."),
        ("limit", true, $"At most this many rows, 1–{MaxLimit} (default {DefaultLimit}); count is the total either way."),
    ];

    public static bool TryParse(IQueryCollection q, long nowMs, out NowQuery? parsed, out ZendeskError? error)
    {
        parsed = null;
        error = null;
        foreach (var (name, _, _) in Parameters)
        {
            if (q[name].Count > 1)
            {
                error = Invalid(name, "is given more than once");
                return false;
            }
        }

        Channel? channel = null;
        if (q.TryGetValue("channel", out var ch))
        {
            if (!Vocabulary.TryChannelIgnoreCase(ch.ToString(), out var c))
            {
                error = Invalid("channel", $"must be one of {string.Join(", ", Vocabulary.Channels)}");
                return false;
            }

            channel = c;
        }

        var limit = DefaultLimit;
        if (q.TryGetValue("limit", out var l)
            && (!int.TryParse(l.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            error = Invalid("limit", $"must be a whole number from 1 to {MaxLimit}");
            return false;
        }

        parsed = new NowQuery
        {
            NowMs = nowMs,
            Channel = channel,
            GroupId = q.TryGetValue("group_id", out var g) ? g.ToString() : null,
            Limit = limit,
        };
        return true;
    }

    private static ZendeskError Invalid(string name, string what) =>
        Dialect.FieldError(StatusCodes.Status400BadRequest, name, what);
}
