namespace OmniReport.Core.Events;

/// <summary>The event types of SPEC §1.</summary>
public enum EventType : byte
{
    /// <summary><c>interaction.created</c></summary>
    InteractionCreated,
    /// <summary><c>message.created</c></summary>
    MessageCreated,
    /// <summary><c>offer.created</c></summary>
    OfferCreated,
    /// <summary><c>offer.accepted</c></summary>
    OfferAccepted,
    /// <summary><c>offer.declined</c></summary>
    OfferDeclined,
    /// <summary><c>offer.expired</c></summary>
    OfferExpired,
    /// <summary><c>assignment.changed</c></summary>
    AssignmentChanged,
    /// <summary><c>transfer.created</c></summary>
    TransferCreated,
    /// <summary><c>status.changed</c></summary>
    StatusChanged,
    /// <summary><c>conversation.ended</c></summary>
    ConversationEnded,
    /// <summary><c>interaction.ended</c></summary>
    InteractionEnded,
    /// <summary><c>interaction.updated</c></summary>
    InteractionUpdated,
}

/// <summary>Interaction channels.</summary>
public enum Channel : byte
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
}

/// <summary>Direction of an interaction.</summary>
public enum Direction : byte
{
    /// <summary>inbound (the default)</summary>
    Inbound,
    /// <summary>outbound</summary>
    Outbound,
}

/// <summary>Ticket status.</summary>
public enum TicketStatus : byte
{
    /// <summary>new</summary>
    New,
    /// <summary>open</summary>
    Open,
    /// <summary>pending</summary>
    Pending,
    /// <summary>on_hold</summary>
    OnHold,
    /// <summary>solved</summary>
    Solved,
    /// <summary>closed</summary>
    Closed,
    /// <summary>deleted</summary>
    Deleted,
}

/// <summary>Author of a message.</summary>
public enum AuthorType : byte
{
    /// <summary>end_user</summary>
    EndUser,
    /// <summary>agent (a human)</summary>
    Agent,
    /// <summary>bot</summary>
    Bot,
}

/// <summary>How an agent was made assignee by <c>assignment.changed</c>.</summary>
public enum AssignmentVia : byte
{
    /// <summary>manual (the default)</summary>
    Manual,
    /// <summary>routing</summary>
    Routing,
    /// <summary>sole_agent</summary>
    SoleAgent,
}

/// <summary>Outcome of <c>interaction.ended</c>.</summary>
public enum Outcome : byte
{
    /// <summary>completed (the default)</summary>
    Completed,
    /// <summary>missed</summary>
    Missed,
    /// <summary>abandoned</summary>
    Abandoned,
    /// <summary>voicemail</summary>
    Voicemail,
}
