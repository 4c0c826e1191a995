namespace OmniReport.Core.Derivation;

/// <summary>
/// The numbers of texts met lately (interaction ids and their chains, agent and group words and their codes): a small
/// direct-mapped table placed by a hash of a text's length and last four characters, where ids and names differ most. A
/// text is found when its place holds the same string or the same text, so texts that share a place, or the same text as
/// another string (each parse worker makes its own), are never confused. An interaction's events and an agent's come
/// close together but interleaved with others', so a glance here spares most lookups in the full tables — the encoding,
/// hashing and probing they cost on <c>derive</c>'s one sequential thread (docs/performance.md, issue 18, seventh part).
/// </summary>
internal sealed class RecentCodes(int bits)
{
    private readonly (string? Text, int Code)[] _places = new (string?, int)[1 << bits];

    /// <summary>The number last remembered for <paramref name="text"/>, when its place still holds it.</summary>
    public bool TryFind(string text, out int code)
    {
        var place = _places[Place(text)];
        if (place.Text is { } known && (ReferenceEquals(known, text) || string.Equals(known, text, StringComparison.Ordinal)))
        {
            code = place.Code;
            return true;
        }

        code = 0;
        return false;
    }

    /// <summary>Remembers <paramref name="code"/> for <paramref name="text"/>, in place of whatever shared its place.</summary>
    public void Remember(string text, int code) => _places[Place(text)] = (text, code);

    /// <summary>Forgets everything.</summary>
    public void Clear() => Array.Clear(_places);

    private int Place(string text)
    {
        var h = (uint)text.Length;
        for (var i = text.Length - 1; i >= 0 && i >= text.Length - 4; i--)
        {
            h = (h * 31) + text[i];
        }

        return (int)((h * 0x9E3779B9u) >> (32 - bits));
    }
}
