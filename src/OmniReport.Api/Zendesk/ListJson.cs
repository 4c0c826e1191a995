using System.Text.Json;
using OmniReport.Core.Reports;

namespace OmniReport.Api.Zendesk;

/// <summary>
/// The list answers of the Zendesk dialect that are not pages: <c>{"NAME": [...], "count": n}</c> — the "now" lists
/// (SPEC §9) and the directory (agents, groups) — written straight to the response.
/// </summary>
internal static class ListJson
{
    /// <summary>Writes the object: the list under <paramref name="listName"/>, its items by <paramref name="items"/>, then the count.</summary>
    public static async Task WriteAsync(HttpContext httpContext, string listName, long count, Action<Utf8JsonWriter> items)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        using (var w = new Utf8JsonWriter(response.BodyWriter, Dialect.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteStartArray(listName);
            items(w);
            w.WriteEndArray();
            w.WriteNumber("count"u8, count);
            w.WriteEndObject();
        }

        await response.BodyWriter.FlushAsync(httpContext.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>An id as SPEC §5.3 types it: a JSON integer when canonical, else a string.</summary>
    public static void WriteId(Utf8JsonWriter w, string id)
    {
        if (Ids.TryCanonicalInteger(id, out var n))
        {
            w.WriteNumber("id"u8, n);
        }
        else
        {
            w.WriteString("id"u8, id);
        }
    }
}
