using System.Globalization;
using System.Text;
using OmniReport.Api.Zendesk;
using OmniReport.Core.Events;
using OmniReport.Storage;

namespace OmniReport.Api.Endpoints;

/// <summary>
/// The query string of <c>GET /api/v2/engagements</c> (SPEC §5.3): one table of parameters, read and validated
/// here, described from here in the OpenAPI document, and written back into <c>next_page_url</c>.
/// </summary>
internal sealed record EngagementListQuery(EngagementQuery Query, int PageSize, IReadOnlyList<KeyValuePair<string, string>> Filters)
{
    public const int DefaultPageSize = 10;
    public const int MaxPageSize = 100;

    // Unix seconds of 0001-01-01 and 9999-12-31T23:59:59Z: the range an engagement time can have.
    private const long MinSeconds = -62_135_596_800;
    private const long MaxSeconds = 253_402_300_799;

    /// <summary>Name, JSON type and description of every parameter.</summary>
    public static readonly IReadOnlyList<(string Name, bool Integer, string Description)> Parameters =
    [
        ("start_time", true, "Unix seconds: only engagements that started at or after this time."),
        ("end_time", true, "Unix seconds: only engagements that started before this time."),
        ("agent_id", false, "Only this agent's engagements."),
        ("ticket_id", false, "Only the engagements of this ticket (interaction)."),
        ("group_id", false, "Only engagements whose group at the start is this one."),
        ("channel", false, "Only this channel (messaging, chat, email, voice, sms, whatsapp, social; any case)."),
        ("page_size", true, $"Rows a page, 1–{MaxPageSize} (default {DefaultPageSize})."),
        ("start_time_cursor", true, "Cursor (from next_page_url): the start second of the last row already read."),
        ("engagement_id_cursor", false, "Cursor (from next_page_url): the engagement_id of the last row already read."),
    ];

    public static bool TryParse(IQueryCollection q, out EngagementListQuery? parsed, out ZendeskError? error)
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

        var filters = new List<KeyValuePair<string, string>>();
        if (!Seconds(q, "start_time", filters, out var from, ref error)
            || !Seconds(q, "end_time", filters, out var to, ref error))
        {
            return false;
        }

        if (from is { } f && to is { } t && t < f)
        {
            error = Invalid("end_time", "must not be before start_time");
            return false;
        }

        var agent = Text(q, "agent_id", filters);
        var ticket = Text(q, "ticket_id", filters);
        var group = Text(q, "group_id", filters);
        Channel? channel = null;
        if (q.TryGetValue("channel", out var ch))
        {
            if (!Vocabulary.TryChannelIgnoreCase(ch.ToString(), out var c))
            {
                error = Invalid("channel", $"must be one of {string.Join(", ", Vocabulary.Channels)}");
                return false;
            }

            channel = c;
            filters.Add(new("channel", Vocabulary.Name(c)));
        }

        var pageSize = DefaultPageSize;
        if (q.TryGetValue("page_size", out var ps)
            && (!int.TryParse(ps.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > MaxPageSize))
        {
            error = Invalid("page_size", $"must be a whole number from 1 to {MaxPageSize}");
            return false;
        }

        var hasStart = q.ContainsKey("start_time_cursor");
        var hasId = q.ContainsKey("engagement_id_cursor");
        (long, string)? after = null;
        if (hasStart || hasId)
        {
            if (!hasStart || !hasId)
            {
                error = Invalid(hasStart ? "engagement_id_cursor" : "start_time_cursor", "must be given with the other cursor parameter");
                return false;
            }

            var scratch = new List<KeyValuePair<string, string>>();
            if (!Seconds(q, "start_time_cursor", scratch, out var cursorSecond, ref error))
            {
                return false;
            }

            var id = q["engagement_id_cursor"].ToString();
            if (id.Length is 0 or > 128)
            {
                error = Invalid("engagement_id_cursor", "must be an engagement_id");
                return false;
            }

            after = (cursorSecond!.Value, id);
        }

        parsed = new EngagementListQuery(
            new EngagementQuery
            {
                StartTimeFrom = from,
                StartTimeBefore = to,
                AgentId = agent,
                TicketId = ticket,
                GroupId = group,
                Channel = channel,
                After = after,
                Limit = pageSize + 1, // one more than the page: whether there is a next page
            },
            pageSize,
            filters);
        return true;
    }

    /// <summary>The absolute URL of the page after <paramref name="lastStartSecond"/> / <paramref name="lastId"/>.</summary>
    public string NextPageUrl(HttpRequest request, long lastStartSecond, string lastId)
    {
        var url = new StringBuilder()
            .Append(request.Scheme).Append("://").Append(request.Host.ToUriComponent())
            .Append(request.PathBase.ToUriComponent()).Append(request.Path.ToUriComponent());
        var sep = '?';
        void Add(string name, string value)
        {
            url.Append(sep).Append(name).Append('=').Append(Uri.EscapeDataString(value));
            sep = '&';
        }

        foreach (var (name, value) in Filters)
        {
            Add(name, value);
        }

        Add("page_size", PageSize.ToString(CultureInfo.InvariantCulture));
        Add("start_time_cursor", lastStartSecond.ToString(CultureInfo.InvariantCulture));
        Add("engagement_id_cursor", lastId);
        return url.ToString();
    }

    private static bool Seconds(IQueryCollection q, string name, List<KeyValuePair<string, string>> filters, out long? value, ref ZendeskError? error)
    {
        value = null;
        if (!q.TryGetValue(name, out var v))
        {
            return true;
        }

        if (!long.TryParse(v.ToString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) || n is < MinSeconds or > MaxSeconds)
        {
            error = Invalid(name, "must be a whole number of Unix seconds");
            return false;
        }

        value = n;
        filters.Add(new(name, n.ToString(CultureInfo.InvariantCulture)));
        return true;
    }

    private static string? Text(IQueryCollection q, string name, List<KeyValuePair<string, string>> filters)
    {
        if (!q.TryGetValue(name, out var v))
        {
            return null;
        }

        var s = v.ToString();
        filters.Add(new(name, s));
        return s;
    }

    private static ZendeskError Invalid(string name, string what) =>
        Dialect.FieldError(StatusCodes.Status400BadRequest, name, what);
}
