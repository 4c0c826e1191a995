using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;

namespace OmniReport.Cli.Settings;

/// <summary>
/// The settings of one run, layered by Microsoft.Extensions.Configuration; the first that gives a value wins:
/// the command-line option, the environment variable (<c>OMNIREPORT_…</c>), the config file (<c>--config FILE</c>,
/// else <c>$OMNIREPORT_CONFIG</c>, else <c>./omnireport.json</c> when it exists), the default (docs/configuration.md).
/// Every value is checked once, here, and an error names where it came from.
/// </summary>
internal sealed class Configuration
{
    public const string ConfigVariable = "OMNIREPORT_CONFIG";
    public const string DefaultConfigFile = "omnireport.json";

    /// <summary>The <c>--config FILE</c> option every command takes.</summary>
    public static readonly Option<string> ConfigOption = new("--config")
    {
        HelpName = "FILE",
        Description = "settings file (JSON; default ./omnireport.json when present; docs/configuration.md)",
        Recursive = true,
    };

    private readonly IConfigurationRoot _root;
    private readonly List<(IConfigurationProvider Provider, Func<Setting, string> Source)> _layers;

    private Configuration(IConfigurationRoot root, List<(IConfigurationProvider, Func<Setting, string>)> layers)
    {
        _root = root;
        _layers = layers;
    }

    /// <summary>Reads the layers for the command <paramref name="parse"/> chose; a bad config file is a <see cref="UsageException"/>.</summary>
    public static Configuration Load(ParseResult parse, Terminal console)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(console);
        var builder = new ConfigurationBuilder();
        var labels = new List<Func<Setting, string>>();
        builder.AddInMemoryCollection(Setting.All.Where(s => s.Default is not null).Select(s => KeyValuePair.Create(s.Name, s.Default)));
        labels.Add(_ => "default");

        var explicitPath = parse.GetValue(ConfigOption) ?? (console.Variable(ConfigVariable) is { Length: > 0 } v ? v : null);
        var path = Path.GetFullPath(explicitPath ?? Path.Combine(console.WorkingDirectory ?? Directory.GetCurrentDirectory(), DefaultConfigFile));
        var shown = explicitPath ?? "./" + DefaultConfigFile;
        if (explicitPath is not null || File.Exists(path))
        {
            if (!File.Exists(path))
            {
                throw new UsageException($"cannot read the config file {shown}: it does not exist");
            }

            builder.AddJsonFile(path, optional: false, reloadOnChange: false);
            labels.Add(s => $"\"{s.Name}\" in {shown}");
        }

        // The environment is read through the terminal (tests give their own) and by each setting's variable name,
        // as the JSON key has dashes that a variable cannot; an empty variable counts as unset.
        builder.AddInMemoryCollection(Setting.All
            .Select(s => KeyValuePair.Create(s.Name, console.Variable(s.Variable)))
            .Where(p => !string.IsNullOrEmpty(p.Value)));
        labels.Add(s => "$" + s.Variable);

        builder.AddInMemoryCollection(Setting.All
            .Select(s => KeyValuePair.Create(s.Name, parse.GetValue(s.Option)))
            .Where(p => p.Value is not null));
        labels.Add(s => "--" + s.Name);

        IConfigurationRoot root;
        try
        {
            root = builder.Build();
        }
        catch (Exception ex) when (ex.GetBaseException() is JsonException json)
        {
            // Line and column as an editor counts them, never the parser's own "LineNumber: 0 | BytePositionInLine: 1".
            throw new UsageException($"{shown} is not valid JSON (line {json.LineNumber + 1}, column {json.BytePositionInLine + 1})");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or InvalidDataException)
        {
            throw new UsageException($"cannot read the config file {shown}: {(ex.InnerException ?? ex).Message}");
        }

        var providers = root.Providers.ToList();
        if (providers.Count == 4 && providers[1].GetChildKeys([], null).FirstOrDefault(k => !Setting.All.Any(s => s.Name == k)) is { } unknown)
        {
            throw new UsageException($"{shown}: unknown setting \"{unknown}\" (known: {string.Join(", ", Setting.All.Select(s => s.Name))})");
        }

        return new Configuration(root, [.. providers.Zip(labels)]);
    }

    /// <summary>The setting's value and where it came from ("--name", "$VARIABLE", the config file, "default").</summary>
    public (string? Value, string Source) Get(Setting setting)
    {
        ArgumentNullException.ThrowIfNull(setting);
        for (var i = _layers.Count - 1; i >= 0; i--)
        {
            if (_layers[i].Provider.TryGet(setting.Name, out var value) && value is not null)
            {
                return (value, _layers[i].Source(setting));
            }
        }

        return (null, "default");
    }

    /// <summary>The setting's text, checked (null when unset and without a default).</summary>
    public string? Text(Setting setting)
    {
        var (value, source) = Get(setting);
        if (value is not null && setting.Check(value) is { } what)
        {
            throw new UsageException(source.StartsWith("--", StringComparison.Ordinal)
                ? $"--{setting.Name} must be {what}, not \"{value}\""
                : $"{setting.Name} (from {source}) must be {what}, not \"{value}\"");
        }

        return value;
    }

    /// <summary>The options class <typeparamref name="T"/> bound from <paramref name="settings"/> (each checked first).</summary>
    public T Bind<T>(IEnumerable<Setting> settings)
        where T : new()
    {
        foreach (var s in settings)
        {
            Text(s);
        }

        Values.RegisterDurationConverter();
        var options = new T();
        _root.Bind(options);
        return options;
    }
}
