using System.Text.Json;
using OmniReport.Api.Live;
using OmniReport.Core.Events;
using OmniReport.Core.Reports;

namespace OmniReport.Api.Webhooks;

/// <summary>A <c>POST /api/v2/webhooks</c> body, checked: an absolute http(s) URL and known change types.</summary>
/// <param name="Url">The URL.</param>
/// <param name="Types">The types, each once, in the order given (every type when none were given).</param>
internal sealed record WebhookRequest(Uri Url, IReadOnlyList<string> Types)
{
    public const int MaxUrlLength = 2000;

    /// <summary>Reads the body's object; a problem names the field.</summary>
    public static WebhookRequest? Read(JsonElement body, out FieldProblem? problem)
    {
        problem = null;
        if (!body.TryGetProperty("url", out var url) || url.ValueKind == JsonValueKind.Null)
        {
            problem = new FieldProblem("url", "is required");
            return null;
        }

        if (url.ValueKind != JsonValueKind.String)
        {
            problem = new FieldProblem("url", "must be a string: the URL to POST changes to");
            return null;
        }

        if (!TryUrl(url.GetString()!, out var uri, out var why))
        {
            problem = new FieldProblem("url", why!);
            return null;
        }

        var types = new List<string>();
        if (!body.TryGetProperty("types", out var given) || given.ValueKind == JsonValueKind.Null)
        {
            types.AddRange(ChangeMessage.Types);
        }
        else if (given.ValueKind != JsonValueKind.Array)
        {
            problem = new FieldProblem("types", "must be an array of change types: " + string.Join(", ", ChangeMessage.Types));
            return null;
        }
        else
        {
            var i = 0;
            foreach (var t in given.EnumerateArray())
            {
                if (t.ValueKind != JsonValueKind.String || t.GetString() is not { } name || !ChangeMessage.Types.Contains(name))
                {
                    problem = new FieldProblem($"types[{i}]", $"{(t.ValueKind == JsonValueKind.String ? ErrorText.Quote(t.GetString()!) : ErrorText.Cap(t.GetRawText()))} is not a change type; "
                        + "one of " + string.Join(", ", ChangeMessage.Types));
                    return null;
                }

                if (!types.Contains(name))
                {
                    types.Add(name);
                }

                i++;
            }

            if (types.Count == 0)
            {
                problem = new FieldProblem("types", "must name at least one change type (leave it out to receive every type)");
                return null;
            }
        }

        return new WebhookRequest(uri!, types);
    }

    private static bool TryUrl(string text, out Uri? uri, out string? why)
    {
        uri = null;
        why = null;
        if (text.Length > MaxUrlLength)
        {
            why = $"must be at most {MaxUrlLength} characters";
        }
        else if (!Uri.TryCreate(text, UriKind.Absolute, out uri) || uri.Scheme is not ("http" or "https") || uri.IsFile || uri.IsUnc)
        {
            why = $"{ErrorText.Quote(text)} is not an absolute http or https URL";
        }
        else if (uri.Host.Length == 0)
        {
            why = "must name a host";
        }
        else if (uri.UserInfo.Length > 0)
        {
            why = "must not contain a user name or password";
        }
        else if (uri.Fragment.Length > 0)
        {
            why = "must not have a #fragment (it is never sent)";
        }

        return why is null;
    }
}
