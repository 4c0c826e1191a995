namespace OmniReport.Core.Derivation;

/// <summary>Integer time arithmetic with the SPEC's flooring.</summary>
public static class Time
{
    /// <summary>Floor division (rounds toward negative infinity).</summary>
    public static long FloorDiv(long a, long b)
    {
        var q = a / b;
        return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
    }

    /// <summary><c>floor((t2 − t1) / 1 s)</c> for Unix-ms instants.</summary>
    public static long Seconds(long fromMs, long toMs) => FloorDiv(toMs - fromMs, 1000);

    /// <summary>a ÷ b rounded half away from zero (b &gt; 0).</summary>
    public static long DivRoundHalfAwayFromZero(long a, long b)
    {
        var q = Math.DivRem(Math.Abs(a), b, out var r);
        if (2 * r >= b)
        {
            q++;
        }

        return a < 0 ? -q : q;
    }
}
