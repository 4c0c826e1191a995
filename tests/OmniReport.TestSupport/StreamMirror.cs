using System.Text.Json.Nodes;
using Xunit;

namespace OmniReport.TestSupport;

/// <summary>What a client keeps by applying the stream's messages (SPEC §9) in order: the logged engagements and the records.</summary>
/// <param name="unloggedMustBeLogged">
/// Whether an <c>engagement.unlogged</c> must name an engagement this client saw logged. A stream that read a change
/// after its object had gone passes over it (decisions.md, issue 10), so a reader that may lag behind the writer
/// (another process) can see the unlogging alone.
/// </param>
public class StreamMirror(bool unloggedMustBeLogged = true)
{
    public Dictionary<string, string> Engagements { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Records { get; } = new(StringComparer.Ordinal);

    public long Last { get; private set; }

    public void Apply(SseMessage m)
    {
        ArgumentNullException.ThrowIfNull(m);
        Assert.True(m.Sequence > Last, $"id {m.Id} after {Last}");
        Last = m.Sequence;
        var data = JsonNode.Parse(m.Data)!;
        switch (m.Type)
        {
            case "engagement.logged":
                Engagements[data["engagement_id"]!.GetValue<string>()] = data.ToJsonString();
                break;
            case "engagement.unlogged":
                var removed = Engagements.Remove(data["engagement_id"]!.GetValue<string>());
                Assert.True(removed || !unloggedMustBeLogged, $"unlogged an engagement never logged: {m.Data}");
                break;
            case "interaction.updated":
                Records[data["interaction_id"]!.GetValue<string>()] = data.ToJsonString();
                break;
            case "interaction.removed":
                Records.Remove(data["interaction_id"]!.GetValue<string>());
                break;
            default:
                Assert.Fail($"unexpected event {m.Type}");
                break;
        }
    }
}
