using OmniReport.Storage.Codec;

namespace OmniReport.Storage;

/// <summary>A change-log row read back, in either dialect.</summary>
internal static class ChangeRows
{
    public static Change Read(long seq, long atMs, string kind, string key, byte[]? data)
    {
        var k = ChangeKinds.Parse(kind);
        return new Change(
            seq,
            k,
            key,
            atMs,
            k == ChangeKind.EngagementLogged && data is not null ? RecordCodec.ReadEngagement(data) : null,
            k == ChangeKind.InteractionUpdated && data is not null ? RecordCodec.ReadRecord(data) : null);
    }
}
