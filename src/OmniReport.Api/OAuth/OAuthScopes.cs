using OmniReport.Storage;

namespace OmniReport.Api.OAuth;

/// <summary>
/// The <c>scope</c> text of the token endpoint (SPEC §5.5): space-separated, RFC 6749 §3.3. Our scopes keep their
/// names; Talkdesk's <c>data-reports:read</c> / <c>data-reports:write</c> (what its report clients ask for and check)
/// stand for <c>reports:read</c>, which is all the report jobs of §5.4 need.
/// </summary>
internal static class OAuthScopes
{
    public const string TalkdeskRead = "data-reports:read";
    public const string TalkdeskWrite = "data-reports:write";

    /// <summary>
    /// Reads a requested scope; false with the first unknown name. Empty (or blank) text is no request: null scopes.
    /// </summary>
    public static bool TryParse(string? text, out Scopes? scopes, out string? unknown)
    {
        scopes = null;
        unknown = null;
        var names = (text ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0)
        {
            return true;
        }

        var result = Scopes.None;
        foreach (var name in names)
        {
            if (name is TalkdeskRead or TalkdeskWrite)
            {
                result |= Scopes.ReportsRead;
            }
            else if (name.Contains(',', StringComparison.Ordinal) || !Tokens.TryParseScopes(name, out var one))
            {
                unknown = name;
                return false;
            }
            else
            {
                result |= one;
            }
        }

        scopes = result;
        return true;
    }

    /// <summary>The answered scope: our names, then Talkdesk's two when the token can read reports.</summary>
    public static string Format(Scopes scopes)
    {
        var ours = Tokens.Format(scopes).Replace(',', ' ');
        return (scopes & Scopes.ReportsRead) == 0 ? ours : $"{ours} {TalkdeskRead} {TalkdeskWrite}";
    }
}
