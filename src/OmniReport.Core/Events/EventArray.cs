namespace OmniReport.Core.Events;

/// <summary>Receives one element of a JSON array held in memory: its index and where it lies.</summary>
/// <returns>False to stop reading.</returns>
public delegate bool ElementHandler(long index, int start, int length);

/// <summary>
/// Splits a JSON array of events held in memory into its elements, as <see cref="EventStreamReader"/> does for a
/// stream: each element is cut out by brackets and quotes, so a faulty one costs only itself.
/// </summary>
public static class EventArray
{
    /// <summary>How the array ended.</summary>
    /// <param name="End">Index just past the closing bracket (or where reading stopped).</param>
    /// <param name="Problem">Null when the array is well formed at its top level; else why it breaks off.</param>
    /// <param name="BrokenAt">The index of the element where it breaks off (the count of elements before it).</param>
    public readonly record struct Outcome(int End, string? Problem, long BrokenAt);

    /// <summary>Reads the array whose <c>[</c> is at <paramref name="open"/>.</summary>
    public static Outcome Split(ReadOnlySpan<byte> text, int open, ElementHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var at = open + 1;
        long index = 0;
        while (true)
        {
            at = SkipWhitespace(text, at);
            if (at >= text.Length)
            {
                return new Outcome(at, "the JSON array is not closed with ]", index);
            }

            if (text[at] == (byte)']' && index == 0)
            {
                return new Outcome(at + 1, null, 0);
            }

            var scanner = default(ValueScanner);
            var i = at;
            var end = scanner.Scan(text, ref i);
            if (end < 0)
            {
                return new Outcome(text.Length, "the JSON array ends inside an element", index);
            }

            if (!handler(index++, at, end - at))
            {
                return new Outcome(end, null, index);
            }

            at = SkipWhitespace(text, end);
            if (at >= text.Length)
            {
                return new Outcome(at, "the JSON array is not closed with ]", index);
            }

            var c = text[at++];
            if (c == (byte)']')
            {
                return new Outcome(at, null, index);
            }

            if (c != (byte)',')
            {
                return new Outcome(at - 1, $"expected , or ] after array element {index - 1}", index);
            }
        }
    }

    private static int SkipWhitespace(ReadOnlySpan<byte> text, int at)
    {
        while (at < text.Length && text[at] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            at++;
        }

        return at;
    }
}
