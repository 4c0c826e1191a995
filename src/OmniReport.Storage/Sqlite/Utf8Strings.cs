using System.Text;

namespace OmniReport.Storage.Sqlite;

/// <summary>
/// Text read on the raw handle as UTF-8 made into strings once: a value that came before is found by its characters
/// (no new string), for columns with few distinct values over many rows (rollup keys, dimension values).
/// </summary>
internal sealed class Utf8Strings
{
    private readonly Dictionary<string, string> _known = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public Utf8Strings() => _lookup = _known.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The string of <paramref name="utf8"/>, the same instance each time it comes again.</summary>
    public string Get(ReadOnlySpan<byte> utf8)
    {
        Span<char> chars = stackalloc char[256];
        if (utf8.Length <= chars.Length && Encoding.UTF8.GetChars(utf8, chars) is var n && _lookup.TryGetValue(chars[..n], out var known))
        {
            return known;
        }

        var s = Encoding.UTF8.GetString(utf8);
        _known.TryAdd(s, s);
        return s;
    }
}
