using System.Reflection;

namespace OmniReport.Storage;

/// <summary>The schema migrations of one database kind: plain SQL files embedded in this assembly, in name order.</summary>
internal static class Migrations
{
    /// <summary>(version, name, sql) for "sqlite" or "postgres", ordered by version.</summary>
    public static IReadOnlyList<(int Version, string Name, string Sql)> For(string kind)
    {
        var asm = typeof(Migrations).Assembly;
        var prefix = kind + "/";
        var list = new List<(int, string, string)>();
        foreach (var res in asm.GetManifestResourceNames())
        {
            if (!res.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var name = res[prefix.Length..];
            var version = int.Parse(name.AsSpan(0, name.IndexOf('_', StringComparison.Ordinal)), System.Globalization.CultureInfo.InvariantCulture);
            using var stream = asm.GetManifestResourceStream(res)!;
            using var reader = new StreamReader(stream);
            list.Add((version, name, reader.ReadToEnd()));
        }

        list.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return list;
    }
}
