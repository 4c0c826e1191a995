using NodaTime;
using OmniReport.Core.Reports;
using OmniReport.TestSupport;

namespace OmniReport.Core.Tests;

/// <summary>
/// The engagement field list (which the OpenAPI document is made from) says what the field writer writes: over
/// every shared scenario, each field is written in list order with a JSON value its kind allows, and the kinds that
/// allow null or both id forms are seen taking them.
/// </summary>
public sealed class RecordFieldsTests
{
    [Fact]
    public void The_engagement_writer_writes_each_field_as_its_kind_says()
    {
        var seen = new HashSet<(int Field, char Value)>();
        var count = 0;
        foreach (var s in Scenarios.All())
        {
            var derived = ReportFiles.Load(s.EventsNdjson().Split('\n', StringSplitOptions.RemoveEmptyEntries))
                .Run(ReportFiles.Settings(s.Settings), ReportFiles.Ms(s.Now));
            foreach (var e in derived.Engagements)
            {
                var sink = new Sink(seen);
                RecordFields.Write(sink, e, DateTimeZone.Utc);
                Assert.Equal(RecordFields.EngagementFields.Length, sink.Next);
                count++;
            }
        }

        Assert.True(count > 10, $"only {count} engagements in the scenarios");
        bool Seen(char value, params FieldKind[] kinds) =>
            seen.Any(x => x.Value == value && kinds.Contains(RecordFields.EngagementFields[x.Field].Kind));
        Assert.True(Seen('z', FieldKind.NumberOrNull) && Seen('z', FieldKind.IdOrNull), "no nullable field was seen null");
        Assert.True(Seen('n', FieldKind.Id) && Seen('s', FieldKind.Id), "ids were not seen both as numbers and as strings");
    }

    private sealed class Sink(HashSet<(int, char)> seen) : IFieldSink
    {
        public int Next { get; private set; }

        public void Null(int field) => Take(field, 'z', FieldKind.NumberOrNull, FieldKind.IdOrNull);

        public void Number(int field, long value) => Take(field, 'n', FieldKind.Number, FieldKind.NumberOrNull, FieldKind.Id, FieldKind.IdOrNull);

        public void Text(int field, string value) => Take(field, 's', FieldKind.Text, FieldKind.Id, FieldKind.IdOrNull);

        private void Take(int field, char value, params FieldKind[] allowed)
        {
            Assert.Equal(Next, field);
            var f = RecordFields.EngagementFields[field];
            Assert.True(allowed.Contains(f.Kind), $"{f.Name} ({f.Kind}) written as {value}");
            seen.Add((field, value));
            Next++;
        }
    }
}
