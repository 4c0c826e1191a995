using OmniReport.Core.Events;

namespace OmniReport.Api.Connectors;

/// <summary>
/// What one vendor event (a Twilio callback, an EventBridge event) becomes: SPEC §1 events, nothing (ignored), or a
/// rejection naming the vendor's field. Vendor shapes end here; what goes on is plain §1 JSON for the one event parser.
/// </summary>
internal abstract record VendorEvent(long Index, string? Id)
{
    /// <summary>The vendor event carries nothing OmniReport uses.</summary>
    public sealed record Ignored(long Index, string? Id) : VendorEvent(Index, Id);

    /// <summary>The vendor event is malformed: the error's field is the vendor's name of the field at fault.</summary>
    public sealed record Rejected(EventError Error) : VendorEvent(Error.Index, Error.Id);

    /// <summary>A rejection of the vendor event at <paramref name="index"/>, naming the vendor's <paramref name="field"/>.</summary>
    public static Rejected Reject(long index, string? id, string field, string description) => new(new EventError(index, id, field, description));

    /// <summary>
    /// The §1 events the vendor event gives (UTF-8 JSON), stored together or not at all. <paramref name="VendorFields"/>
    /// names, for a §1 field the event parser may reject, the vendor field it came from.
    /// </summary>
    public sealed record Translated(long Index, string Id, IReadOnlyList<byte[]> Events, IReadOnlyDictionary<string, string> VendorFields)
        : VendorEvent(Index, Id);
}
