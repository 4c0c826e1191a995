namespace OmniReport.Core.Events;

/// <summary>The wire names of the enumerations, both ways, in one place.</summary>
public static class Vocabulary
{
    private static readonly string[] TypeNames =
    [
        "interaction.created", "message.created", "offer.created", "offer.accepted", "offer.declined",
        "offer.expired", "assignment.changed", "transfer.created", "status.changed", "conversation.ended",
        "interaction.ended", "interaction.updated",
    ];

    private static readonly string[] ChannelNames = ["messaging", "chat", "email", "voice", "sms", "whatsapp", "social"];
    private static readonly string[] StatusNames = ["new", "open", "pending", "on_hold", "solved", "closed", "deleted"];
    private static readonly string[] AuthorNames = ["end_user", "agent", "bot"];
    private static readonly string[] ViaNames = ["manual", "routing", "sole_agent"];
    private static readonly string[] OutcomeNames = ["completed", "missed", "abandoned", "voicemail"];
    private static readonly string[] DirectionNames = ["inbound", "outbound"];

    /// <summary>The wire name of an event type.</summary>
    public static string Name(EventType t) => TypeNames[(int)t];

    /// <summary>The wire name of a channel.</summary>
    public static string Name(Channel c) => ChannelNames[(int)c];

    /// <summary>The wire name of a status.</summary>
    public static string Name(TicketStatus s) => StatusNames[(int)s];

    /// <summary>The wire name of a direction.</summary>
    public static string Name(Direction d) => DirectionNames[(int)d];

    /// <summary>All channel names, for messages that list the allowed values.</summary>
    public static IReadOnlyList<string> Channels => ChannelNames;

    /// <summary>Upper-case status as the Zendesk dialect writes it (<c>ON_HOLD</c>).</summary>
    public static string Upper(TicketStatus s) => s switch
    {
        TicketStatus.New => "NEW",
        TicketStatus.Open => "OPEN",
        TicketStatus.Pending => "PENDING",
        TicketStatus.OnHold => "ON_HOLD",
        TicketStatus.Solved => "SOLVED",
        TicketStatus.Closed => "CLOSED",
        _ => "DELETED",
    };

    /// <summary>Upper-case channel (<c>MESSAGING</c>, <c>WHATSAPP</c>).</summary>
    public static string Upper(Channel c) => c switch
    {
        Channel.Messaging => "MESSAGING",
        Channel.Chat => "CHAT",
        Channel.Email => "EMAIL",
        Channel.Voice => "VOICE",
        Channel.Sms => "SMS",
        Channel.WhatsApp => "WHATSAPP",
        _ => "SOCIAL",
    };

    internal static bool TryType(string s, out EventType t) => TryIndex(TypeNames, s, out t);
    internal static bool TryChannel(string s, out Channel c) => TryIndex(ChannelNames, s, out c);
    internal static bool TryStatus(string s, out TicketStatus v) => TryIndex(StatusNames, s, out v);
    internal static bool TryAuthor(string s, out AuthorType v) => TryIndex(AuthorNames, s, out v);
    internal static bool TryVia(string s, out AssignmentVia v) => TryIndex(ViaNames, s, out v);
    internal static bool TryOutcome(string s, out Outcome v) => TryIndex(OutcomeNames, s, out v);
    internal static bool TryDirection(string s, out Direction v) => TryIndex(DirectionNames, s, out v);

    /// <summary>Parses a channel name, case-insensitively (for query filters).</summary>
    public static bool TryChannelIgnoreCase(string s, out Channel c)
    {
        for (var i = 0; i < ChannelNames.Length; i++)
        {
            if (string.Equals(ChannelNames[i], s, StringComparison.OrdinalIgnoreCase))
            {
                c = (Channel)i;
                return true;
            }
        }

        c = default;
        return false;
    }

    internal static string Allowed(string[] names) => string.Join(", ", names);
    internal static string AllowedChannels => Allowed(ChannelNames);
    internal static string AllowedStatuses => Allowed(StatusNames);
    internal static string AllowedAuthors => Allowed(AuthorNames);
    internal static string AllowedVias => Allowed(ViaNames);
    internal static string AllowedOutcomes => Allowed(OutcomeNames);
    internal static string AllowedDirections => Allowed(DirectionNames);
    internal static string AllowedTypes => Allowed(TypeNames);

    private static bool TryIndex<T>(string[] names, string s, out T value) where T : struct, Enum
    {
        for (var i = 0; i < names.Length; i++)
        {
            if (string.Equals(names[i], s, StringComparison.Ordinal))
            {
                var b = (byte)i;
                value = System.Runtime.CompilerServices.Unsafe.As<byte, T>(ref b);
                return true;
            }
        }

        value = default;
        return false;
    }
}
