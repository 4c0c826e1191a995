using System.Globalization;
using System.Text.Json;

namespace OmniReport.Cli;

/// <summary>
/// A small option parser: positional arguments, <c>--name value</c>, <c>--name=value</c> and flags. Unknown
/// options are errors, so a typo never silently changes what a command does. Every command also takes
/// <c>--help</c>, <c>--verbose</c> and <c>--config FILE</c>.
/// </summary>
/// <remarks>
/// A <see cref="Setting"/> is read, first found wins, from: its command-line option, its environment variable
/// (<c>OMNIREPORT_…</c>), the config file (<c>--config FILE</c>, else <c>$OMNIREPORT_CONFIG</c>, else
/// <c>./omnireport.json</c> when it exists), its default (docs/configuration.md).
/// </remarks>
internal sealed class Arguments
{
    public const string ConfigVariable = "OMNIREPORT_CONFIG";
    public const string DefaultConfigFile = "omnireport.json";

    public const string CommonHelp = """
          --config FILE               settings file (JSON; default ./omnireport.json when present; docs/configuration.md)
          --verbose                   show the full stack trace of an unexpected error
          --help                      this text
        """;

    private static readonly HashSet<string> CommonFlags = ["help", "verbose"];

    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly List<string> _positional = [];
    private readonly Terminal? _console;
    private Dictionary<string, string>? _file;
    private string? _filePath;

    public Arguments(string command, IEnumerable<string> args, IReadOnlySet<string> valued, IReadOnlySet<string> flags, Terminal? console = null)
    {
        Command = command;
        _console = console;
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var a = e.Current;
            if (!a.StartsWith("--", StringComparison.Ordinal) || a == "--")
            {
                _positional.Add(a);
                continue;
            }

            var eq = a.IndexOf('=', StringComparison.Ordinal);
            var name = eq > 0 ? a[2..eq] : a[2..];
            if (flags.Contains(name) || CommonFlags.Contains(name))
            {
                _options[name] = eq > 0 ? a[(eq + 1)..] : "true";
            }
            else if (valued.Contains(name) || name == "config")
            {
                if (eq > 0)
                {
                    _options[name] = a[(eq + 1)..];
                }
                else if (e.MoveNext())
                {
                    _options[name] = e.Current;
                }
                else
                {
                    throw new UsageException($"omnireport {command}: --{name} needs a value");
                }
            }
            else
            {
                throw new UsageException($"omnireport {command}: unknown option --{name} (see omnireport {command} --help)");
            }
        }
    }

    public string Command { get; }

    public IReadOnlyList<string> Positional => _positional;

    public string? this[string name] => _options.GetValueOrDefault(name);

    public bool Flag(string name) => _options.TryGetValue(name, out var v) && v is "true" or "1" or "yes";

    /// <summary>The setting's value and where it came from ("--name", "$VARIABLE", the config file, "default").</summary>
    public (string? Value, string Source) Get(Setting setting)
    {
        ArgumentNullException.ThrowIfNull(setting);
        if (this[setting.Name] is { } option)
        {
            return (option, "--" + setting.Name);
        }

        if (Variable(setting.Variable) is { Length: > 0 } env)
        {
            return (env, "$" + setting.Variable);
        }

        var file = File();
        if (file.TryGetValue(setting.Name, out var fromFile))
        {
            return (fromFile, $"\"{setting.Name}\" in {_filePath}");
        }

        return (setting.Default, "default");
    }

    /// <summary>The setting's text (null when unset and without a default).</summary>
    public string? Text(Setting setting) => Get(setting).Value;

    /// <summary>The setting as a whole number within [min, max].</summary>
    public long Number(Setting setting, long min, long max)
    {
        var (value, source) = Get(setting);
        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw Bad(setting, source, value, $"a whole number from {min} to {max}");
    }

    /// <summary>The setting as a duration: a number with a unit, ms, s, m, h or d (<c>30s</c>, <c>7d</c>); a bare number is seconds.</summary>
    public TimeSpan Duration(Setting setting, TimeSpan min)
    {
        var (value, source) = Get(setting);
        return TryDuration(value, out var d) && d >= min ? d : throw Bad(setting, source, value, $"a duration of at least {min.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s such as 500ms, 30s, 5m, 12h or 7d");
    }

    /// <summary>Parses <c>500ms</c>, <c>30s</c>, <c>5m</c>, <c>12h</c>, <c>7d</c>, or a number of seconds.</summary>
    public static bool TryDuration(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        var (number, unit) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 0.001)
            : text[^1] switch
            {
                's' => (text[..^1], 1.0),
                'm' => (text[..^1], 60.0),
                'h' => (text[..^1], 3600.0),
                'd' => (text[..^1], 86400.0),
                _ => (text, 1.0),
            };
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) || n * unit > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(n * unit);
        return true;
    }

    public UsageException Bad(Setting setting, string source, string? value, string what) =>
        new(source.StartsWith("--", StringComparison.Ordinal)
            ? $"omnireport {Command}: --{setting.Name} must be {what}, not \"{value}\""
            : $"omnireport {Command}: {setting.Name} (from {source}) must be {what}, not \"{value}\"");

    private string? Variable(string name) => (_console?.Variable ?? Environment.GetEnvironmentVariable)(name);

    /// <summary>The config file's settings: read once, every key must be a known setting.</summary>
    private Dictionary<string, string> File()
    {
        if (_file is not null)
        {
            return _file;
        }

        var explicitPath = this["config"] ?? (Variable(ConfigVariable) is { Length: > 0 } v ? v : null);
        var path = explicitPath ?? Path.Combine(_console?.WorkingDirectory ?? Directory.GetCurrentDirectory(), DefaultConfigFile);
        _file = new Dictionary<string, string>(StringComparer.Ordinal);
        if (explicitPath is null && !System.IO.File.Exists(path))
        {
            return _file;
        }

        _filePath = explicitPath ?? "./" + DefaultConfigFile;
        try
        {
            using var doc = JsonDocument.Parse(System.IO.File.ReadAllBytes(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new UsageException($"omnireport {Command}: {_filePath}: expected a JSON object of settings");
            }

            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (!Setting.All.Any(s => s.Name == p.Name))
                {
                    throw new UsageException($"omnireport {Command}: {_filePath}: unknown setting \"{p.Name}\" (known: {string.Join(", ", Setting.All.Select(s => s.Name))})");
                }

                string? value = p.Value.ValueKind switch
                {
                    JsonValueKind.String => p.Value.GetString(),
                    JsonValueKind.Number => p.Value.GetRawText(),
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    JsonValueKind.Null => null,
                    _ => throw new UsageException($"omnireport {Command}: {_filePath}: \"{p.Name}\" must be a string or a number"),
                };
                if (value is not null)
                {
                    _file[p.Name] = value;
                }
            }

            return _file;
        }
        catch (JsonException ex)
        {
            throw new UsageException($"omnireport {Command}: {_filePath} is not valid JSON: {ex.Message}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"omnireport {Command}: cannot read {_filePath}: {ex.Message}");
        }
    }
}
