namespace OmniReport.Core.Reports;

/// <summary>The id rule of SPEC §5.3: canonical decimal integers up to 2^53−1 are JSON numbers.</summary>
public static class Ids
{
    private const long MaxSafe = (1L << 53) - 1;

    /// <summary>True when <paramref name="s"/> is a canonical decimal integer within ±(2^53−1).</summary>
    public static bool TryCanonicalInteger(string s, out long value)
    {
        value = 0;
        var neg = s.Length > 0 && s[0] == '-';
        var digits = s.AsSpan(neg ? 1 : 0);
        if (digits.Length is 0 or > 16 || (digits[0] == '0' && (digits.Length > 1 || neg)))
        {
            return false;
        }

        foreach (var c in digits)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        if (value > MaxSafe)
        {
            return false;
        }

        value = neg ? -value : value;
        return true;
    }

    /// <summary>Writes an id field by the rule: number, string, or null when absent.</summary>
    public static void Write(IFieldSink sink, int field, string? id)
    {
        if (id is null)
        {
            sink.Null(field);
        }
        else if (TryCanonicalInteger(id, out var n))
        {
            sink.Number(field, n);
        }
        else
        {
            sink.Text(field, id);
        }
    }
}
