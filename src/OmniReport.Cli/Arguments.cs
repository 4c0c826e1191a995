namespace OmniReport.Cli;

/// <summary>
/// A small option parser: positional arguments, <c>--name value</c>, <c>--name=value</c> and flags. Unknown
/// options are errors, so a typo never silently changes what a command does.
/// </summary>
internal sealed class Arguments
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly List<string> _positional = [];

    public Arguments(string command, IEnumerable<string> args, IReadOnlySet<string> valued, IReadOnlySet<string> flags)
    {
        Command = command;
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
            if (flags.Contains(name))
            {
                _options[name] = eq > 0 ? a[(eq + 1)..] : "true";
            }
            else if (valued.Contains(name))
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
}
