using System.ComponentModel;
using System.Globalization;

namespace OmniReport.Cli.Settings;

/// <summary>
/// The one reader of the value kinds a setting or an option takes: whole numbers within a range, fractions and
/// durations (<c>500ms</c>, <c>30s</c>, <c>5m</c>, <c>12h</c>, <c>7d</c>; a bare number is seconds).
/// </summary>
internal static class Values
{
    /// <summary>A whole number within [min, max] (no sign, no spaces, no separators).</summary>
    public static bool TryNumber(string? text, long min, long max, out long n) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out n) && n >= min && n <= max;

    /// <summary>What a number within [min, max] is called in an error.</summary>
    public static string NumberText(long min, long max) => $"a whole number from {min} to {max}";

    /// <summary>A fraction from 0 to 1.</summary>
    public static bool TryFraction(string? text, out double f) =>
        double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out f) && f is >= 0 and <= 1;

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

    /// <summary>
    /// Lets the configuration binder read our durations into <see cref="TimeSpan"/> properties (its own converter
    /// only knows <c>d.hh:mm:ss</c>). Values are checked by <see cref="Setting.Check"/> before binding.
    /// </summary>
    public static void RegisterDurationConverter() => Registration.Value.ToString();

    private static readonly Lazy<bool> Registration = new(() =>
    {
        TypeDescriptor.AddAttributes(typeof(TimeSpan), new TypeConverterAttribute(typeof(DurationConverter)));
        return true;
    });

    private sealed class DurationConverter : TimeSpanConverter
    {
        public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
            value is string s && TryDuration(s, out var d) ? d : base.ConvertFrom(context, culture, value);
    }
}
