using System.Globalization;

namespace OmniReport.Core.Events;

/// <summary>
/// How an error shows a value it rejects (SPEC §1): at most 100 characters of it, so a 1 MB id or name is not
/// echoed back whole. A cut never splits a surrogate pair.
/// </summary>
public static class ErrorText
{
    /// <summary>The most characters of a rejected value an error shows.</summary>
    public const int MaxQuoted = 100;

    /// <summary>The first <see cref="MaxQuoted"/> characters of <paramref name="value"/> (all of it when shorter).</summary>
    public static string Cap(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length <= MaxQuoted)
        {
            return value;
        }

        var cut = MaxQuoted;
        if (char.IsHighSurrogate(value[cut - 1]))
        {
            cut--;
        }

        return value[..cut];
    }

    /// <summary>The value in double quotes, cut to <see cref="MaxQuoted"/> characters and then saying its full length.</summary>
    public static string Quote(string value)
    {
        var shown = Cap(value);
        return shown.Length == value.Length
            ? $"\"{value}\""
            : string.Create(CultureInfo.InvariantCulture, $"\"{shown}\"… ({value.Length} characters)");
    }
}

/// <summary>A fault in an event's text found while reading it: the field (when known) and what is wrong.</summary>
internal sealed class BadTextException : Exception
{
    public BadTextException()
    {
    }

    public BadTextException(string message)
        : base(message)
    {
    }

    public BadTextException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public BadTextException(string? field, string message)
        : base(message) => Field = field;

    public string? Field { get; }
}
