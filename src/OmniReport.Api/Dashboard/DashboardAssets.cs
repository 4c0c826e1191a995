using System.Collections.Frozen;
using System.IO.Compression;
using System.Security.Cryptography;

namespace OmniReport.Api.Dashboard;

/// <summary>
/// The dashboard's files (SPEC §8), embedded in the assembly and compressed once, at first use, with Brotli and gzip:
/// they never change while the process runs, so compressing per request would only cost CPU.
/// </summary>
internal static class DashboardAssets
{
    /// <summary>One file: its type, its bytes as they are and compressed, and an entity tag.</summary>
    public sealed record Asset(string ContentType, byte[] Identity, byte[] Brotli, byte[] Gzip, string ETag);

    private static readonly Lazy<FrozenDictionary<string, Asset>> All = new(Load);

    /// <summary>The file named <paramref name="name"/> (e.g. <c>dashboard.js</c>), or null.</summary>
    public static Asset? Find(string name) => All.Value.GetValueOrDefault(name);

    /// <summary>Every file's name.</summary>
    public static IEnumerable<string> Names => All.Value.Keys;

    private static FrozenDictionary<string, Asset> Load()
    {
        var asm = typeof(DashboardAssets).Assembly;
        var files = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var resource in asm.GetManifestResourceNames().Where(n => n.StartsWith("dashboard/", StringComparison.Ordinal)))
        {
            using var stream = asm.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            var name = resource["dashboard/".Length..];
            files[name] = new Asset(TypeOf(name), bytes, Compress(bytes, s => new BrotliStream(s, CompressionLevel.SmallestSize)),
                Compress(bytes, s => new GZipStream(s, CompressionLevel.SmallestSize)),
                "\"" + Convert.ToHexString(SHA256.HashData(bytes), 0, 8) + "\"");
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static byte[] Compress(byte[] bytes, Func<Stream, Stream> wrap)
    {
        using var output = new MemoryStream();
        using (var z = wrap(output))
        {
            z.Write(bytes);
        }

        return output.ToArray();
    }

    private static string TypeOf(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };
}
