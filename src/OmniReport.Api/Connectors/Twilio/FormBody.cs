using System.Net;
using System.Text;

namespace OmniReport.Api.Connectors.Twilio;

/// <summary>
/// An <c>application/x-www-form-urlencoded</c> body as name/value pairs, in order. Read here rather than by ASP.NET's
/// form reader, which refuses a whole form for one <c>%00</c>: such a value must reject only the callback's event,
/// naming its field (SPEC §1), and the signature is computed over every parameter as sent.
/// </summary>
internal static class FormBody
{
    public static List<KeyValuePair<string, string>> Parse(ReadOnlySpan<byte> body)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var part in Encoding.UTF8.GetString(body).Split('&'))
        {
            if (part.Length == 0)
            {
                continue;
            }

            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? part : part[..eq];
            var value = eq < 0 ? "" : part[(eq + 1)..];
            pairs.Add(new(WebUtility.UrlDecode(name), WebUtility.UrlDecode(value)));
        }

        return pairs;
    }
}
