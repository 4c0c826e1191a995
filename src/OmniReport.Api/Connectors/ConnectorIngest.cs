using OmniReport.Api.Endpoints;
using OmniReport.Core.Events;
using OmniReport.Storage;

namespace OmniReport.Api.Connectors;

/// <summary>
/// Takes the vendor events of one request through the one event parser and the store, as <c>POST /api/v2/events</c>
/// does (SPEC §5.2), and counts them per vendor event: a vendor event is accepted when any of its §1 events was
/// stored, a duplicate when all of them were already there, rejected with its vendor field named, or ignored.
/// </summary>
internal static class ConnectorIngest
{
    public static async Task<ConnectorResponse> IngestAsync(IStore store, long accountId, IReadOnlyList<VendorEvent> vendorEvents)
    {
        var parser = new EventParser();
        var events = new List<Event>();
        var owners = new List<int>(); // for each §1 event, the position of its vendor event in vendorEvents
        var errors = new List<EventError>();
        var ignored = 0;
        for (var v = 0; v < vendorEvents.Count; v++)
        {
            switch (vendorEvents[v])
            {
                case VendorEvent.Ignored:
                    ignored++;
                    break;
                case VendorEvent.Rejected r:
                    errors.Add(r.Error);
                    break;
                case VendorEvent.Translated t:
                    var parsed = new List<Event>(t.Events.Count);
                    EventError? error = null;
                    foreach (var json in t.Events)
                    {
                        if (!parser.TryParse(json, t.Index, out var ev, out error))
                        {
                            break;
                        }

                        parsed.Add(ev!);
                    }

                    if (error is not null)
                    {
                        // Nothing of a vendor event is half-stored: one bad §1 event rejects all of them.
                        var field = error.Field is { } f ? t.VendorFields.GetValueOrDefault(f, f) : null;
                        errors.Add(new EventError(t.Index, t.Id, field, error.Description));
                        break;
                    }

                    events.AddRange(parsed);
                    owners.AddRange(Enumerable.Repeat(v, parsed.Count));
                    break;
            }
        }

        var accepted = 0;
        var duplicates = 0;
        if (events.Count > 0)
        {
            // Not the request's token: once the batch is handed over it commits or fails as a whole.
            var result = await store.IngestAsync(accountId, events, CancellationToken.None).ConfigureAwait(false);
            var stored = new HashSet<int>();
            var seen = new HashSet<int>();
            for (var i = 0; i < events.Count; i++)
            {
                seen.Add(owners[i]);
                if (result.Accepted[i])
                {
                    stored.Add(owners[i]);
                }
            }

            accepted = stored.Count;
            duplicates = seen.Count - stored.Count;
        }

        return new ConnectorResponse(accepted, duplicates, errors.Count, ignored, errors);
    }
}

/// <summary>The answer of a connector (SPEC §10): that of <c>POST /api/v2/events</c> plus the vendor events ignored.</summary>
/// <param name="Accepted">Vendor events stored.</param>
/// <param name="Duplicates">Vendor events already stored (redelivered).</param>
/// <param name="Rejected">Malformed vendor events.</param>
/// <param name="Ignored">Vendor events that carry nothing OmniReport uses.</param>
/// <param name="Errors">One entry per rejected vendor event, naming the vendor's field.</param>
public sealed record ConnectorResponse(int Accepted, int Duplicates, int Rejected, int Ignored, IReadOnlyList<EventError> Errors);
