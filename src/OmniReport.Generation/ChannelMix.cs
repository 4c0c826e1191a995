using System.Globalization;

namespace OmniReport.Generation;

/// <summary>The kinds of interaction the generator makes: the seven channels, and bot-only conversations.</summary>
public enum InteractionKind
{
    /// <summary>messaging</summary>
    Messaging,
    /// <summary>chat</summary>
    Chat,
    /// <summary>email</summary>
    Email,
    /// <summary>voice</summary>
    Voice,
    /// <summary>sms</summary>
    Sms,
    /// <summary>whatsapp</summary>
    WhatsApp,
    /// <summary>social</summary>
    Social,
    /// <summary>a messaging conversation that only a bot answers</summary>
    BotOnly,
}

/// <summary>Relative weights of the <see cref="InteractionKind"/>s, written <c>messaging=30,voice=20,…</c>.</summary>
public sealed class ChannelMix
{
    private static readonly string[] Names = ["messaging", "chat", "email", "voice", "sms", "whatsapp", "social", "bot-only"];

    private readonly double[] _weights;

    private ChannelMix(double[] weights) => _weights = weights;

    /// <summary>A contact centre with every channel: messaging 25, chat 12, email 20, voice 20, sms 5, whatsapp 8, social 4, bot-only 6.</summary>
    public static ChannelMix Default { get; } = new([25, 12, 20, 20, 5, 8, 4, 6]);

    /// <summary>The weight of one kind.</summary>
    public double this[InteractionKind kind] => _weights[(int)kind];

    /// <summary>The kinds with a weight above zero, in enum order.</summary>
    public IReadOnlyList<InteractionKind> Kinds => [.. Enum.GetValues<InteractionKind>().Where(k => _weights[(int)k] > 0)];

    /// <summary>The text form, <c>messaging=25,chat=12,…</c>.</summary>
    public override string ToString() =>
        string.Join(',', Names.Select((n, i) => string.Create(CultureInfo.InvariantCulture, $"{n}={_weights[i]}")));

    /// <summary>Picks a kind for a number <paramref name="u"/> uniform in [0, 1).</summary>
    public InteractionKind Pick(double u)
    {
        var total = _weights.Sum();
        var x = u * total;
        for (var i = 0; i < _weights.Length; i++)
        {
            x -= _weights[i];
            if (x < 0 && _weights[i] > 0)
            {
                return (InteractionKind)i;
            }
        }

        return Kinds[^1];
    }

    /// <summary>
    /// Parses <c>name=weight</c> pairs separated by commas (names: messaging, chat, email, voice, sms, whatsapp,
    /// social, bot-only); kinds not named get weight 0. False, with a reason, when the text is not such a list.
    /// </summary>
    public static bool TryParse(string text, out ChannelMix? mix, out string? problem)
    {
        mix = null;
        var weights = new double[Names.Length];
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? part : part[..eq];
            var i = Array.IndexOf(Names, name.ToLowerInvariant());
            if (i < 0)
            {
                problem = $"unknown kind \"{name}\"; expected {string.Join(", ", Names)}";
                return false;
            }

            var weight = 1.0;
            if (eq >= 0 && (!double.TryParse(part[(eq + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out weight)
                            || weight < 0 || !double.IsFinite(weight)))
            {
                problem = $"the weight of {name} must be a number 0 or more, not \"{part[(eq + 1)..]}\"";
                return false;
            }

            weights[i] = weight;
        }

        if (weights.Sum() <= 0)
        {
            problem = "at least one kind needs a weight above 0";
            return false;
        }

        problem = null;
        mix = new ChannelMix(weights);
        return true;
    }
}
