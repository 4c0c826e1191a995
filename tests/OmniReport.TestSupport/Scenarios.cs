using System.Text.Json;
using System.Text.Json.Nodes;

namespace OmniReport.TestSupport;

/// <summary>One worked example of ../shared/scenarios: events, settings, now, and the expected records.</summary>
public sealed record Scenario(string Name, JsonArray Events, JsonObject Settings, string Now, JsonArray ExpectedEngagements, JsonArray ExpectedInteractions)
{
    public override string ToString() => Name;

    /// <summary>The events as NDJSON text, one per line, in the file's order.</summary>
    public string EventsNdjson() => string.Join('\n', Events.Select(e => e!.ToJsonString())) + "\n";
}

/// <summary>Finds and loads the shared scenarios, and compares records the way check-scenarios does.</summary>
public static class Scenarios
{
    /// <summary>The shared scenarios folder: ../shared/scenarios from the repository root.</summary>
    public static string Folder
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("OMNIREPORT_SCENARIOS");
            if (!string.IsNullOrEmpty(env))
            {
                return env;
            }

            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "..", "shared", "scenarios");
                if (File.Exists(Path.Combine(dir.FullName, "omnireport")) && Directory.Exists(candidate))
                {
                    return Path.GetFullPath(candidate);
                }
            }

            throw new DirectoryNotFoundException("../shared/scenarios not found above the test folder; set OMNIREPORT_SCENARIOS");
        }
    }

    /// <summary>The repository root (the folder with ./omnireport).</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "omnireport")) && Directory.Exists(Path.Combine(dir.FullName, "src")))
                {
                    return dir.FullName;
                }
            }

            throw new DirectoryNotFoundException("repository root not found");
        }
    }

    public static IReadOnlyList<Scenario> All() =>
        Directory.GetFiles(Folder, "*.json").Order(StringComparer.Ordinal).Select(Load).ToList();

    /// <summary>Scenario names as xunit member data.</summary>
    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var s in All())
        {
            data.Add(s.Name);
        }

        return data;
    }

    public static Scenario ByName(string name) => All().Single(s => s.Name == name);

    public static Scenario Load(string path)
    {
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        return new Scenario(
            root["name"]!.GetValue<string>(),
            root["events"]!.AsArray(),
            root["settings"]?.AsObject() ?? [],
            root["now"]!.GetValue<string>(),
            root["expected"]!["engagements"]!.AsArray(),
            root["expected"]!["interactions"]!.AsArray());
    }

    /// <summary>
    /// Null when <paramref name="actual"/> equals <paramref name="expected"/> field by field, JSON types and
    /// field order included; otherwise the first difference.
    /// </summary>
    public static string? FirstDifference(JsonArray actual, JsonArray expected)
    {
        if (actual.Count != expected.Count)
        {
            return $"{actual.Count} records, expected {expected.Count}:\n{actual.ToJsonString()}";
        }

        for (var i = 0; i < expected.Count; i++)
        {
            var a = actual[i]!.AsObject();
            var e = expected[i]!.AsObject();
            var aKeys = a.Select(p => p.Key).ToList();
            var eKeys = e.Select(p => p.Key).ToList();
            if (!aKeys.SequenceEqual(eKeys))
            {
                return $"record {i}: fields [{string.Join(",", aKeys)}], expected [{string.Join(",", eKeys)}]";
            }

            foreach (var (key, want) in e)
            {
                var got = a[key];
                if (!JsonNode.DeepEquals(got, want) || Kind(got) != Kind(want))
                {
                    return $"record {i} ({e.First().Value}): {key} = {got?.ToJsonString() ?? "null"}, expected {want?.ToJsonString() ?? "null"}";
                }
            }
        }

        return null;
    }

    private static JsonValueKind Kind(JsonNode? n) => n?.GetValueKind() ?? JsonValueKind.Null;
}
