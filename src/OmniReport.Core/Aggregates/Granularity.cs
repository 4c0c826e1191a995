namespace OmniReport.Core.Aggregates;

/// <summary>The bucket sizes of SPEC §7.</summary>
public enum Granularity
{
    /// <summary>One bucket: the whole interval.</summary>
    Total,

    /// <summary>Local quarter hours.</summary>
    PT15M,

    /// <summary>Local half hours.</summary>
    PT30M,

    /// <summary>Local hours.</summary>
    PT1H,

    /// <summary>Local days (23 or 25 hours on a DST change).</summary>
    P1D,

    /// <summary>Local weeks starting on Monday.</summary>
    P1W,

    /// <summary>Local calendar months.</summary>
    P1M,
}

/// <summary>The wire names of <see cref="Granularity"/>.</summary>
public static class GranularityNames
{
    private static readonly string[] Names = ["total", "PT15M", "PT30M", "PT1H", "P1D", "P1W", "P1M"];

    /// <summary>The wire name.</summary>
    public static string Name(Granularity g) => Names[(int)g];

    /// <summary>Reads a wire name (exact, as the SPEC writes them).</summary>
    public static bool TryParse(string text, out Granularity g)
    {
        var i = Array.IndexOf(Names, text);
        g = (Granularity)Math.Max(i, 0);
        return i >= 0;
    }

    /// <summary>The names, for messages.</summary>
    public static string Allowed => string.Join(", ", Names);
}
