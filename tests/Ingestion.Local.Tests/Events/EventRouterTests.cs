using Ingestion.Domain.Storage;
using Ingestion.Local.Definitions;
using Ingestion.Local.Events;
using Ingestion.States;
using Ingestion.States.Json;

namespace Ingestion.Local.Tests.Events;

/// <summary>The committed ingest-rule.json, with local names, against S3's Object Created events.</summary>
public sealed class EventRouterTests
{
    private static readonly DateTimeOffset Time = new(2026, 11, 24, 2, 0, 0, TimeSpan.Zero);
    private readonly StatesEngine _engine = new();
    private readonly EventRouter _router;
    private readonly StateMachine _target = StateMachine.Load("Echo", """{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}""");

    public EventRouterTests()
    {
        var rule = EventPattern.Parse(DefinitionFiles.Read(DefinitionFiles.IngestRule, new LocalResources().Substitutions));
        _router = new EventRouter(_engine).Add(new EventRule("IngestOnObjectCreated", rule, _target));
    }

    private static JObject Created(string key, string bucket = "ingestion") =>
        ObjectCreatedEvent.Create(new ObjectInfo(bucket, key, "abc", "v1", 42, Time), Time, "us-east-1", "123456789012");

    [Fact]
    public async Task An_object_created_under_incoming_starts_the_target_with_the_whole_event_as_input()
    {
        var objectCreated = Created("incoming/students.json");

        var execution = Assert.Single(_router.Route(objectCreated));

        Assert.Same(_target, execution.StateMachine);
        Assert.Equal(objectCreated, execution.Input);
        Assert.True(Guid.TryParse(execution.Name, out _));
        Assert.Equal(objectCreated, (await execution.Completion).Output);
    }

    [Theory]
    [InlineData("archive/students.json", "ingestion")]
    [InlineData("reports/students.json.report.json", "ingestion")]
    [InlineData("incoming/students.json", "another-bucket")]
    public void Other_keys_and_buckets_start_nothing(string key, string bucket)
    {
        Assert.Empty(_router.Route(Created(key, bucket)));
    }

    [Fact]
    public void Another_detail_type_starts_nothing()
    {
        var deleted = Created("incoming/students.json").With("detail-type", new JString("Object Deleted"));

        Assert.Empty(_router.Route(deleted));
    }

    [Fact]
    public void The_event_has_the_shape_S3_sends_to_EventBridge()
    {
        var e = Created("incoming/students.json");

        Assert.Equal(["version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail"], e.Select(p => p.Key));
        Assert.Equal(new JString("2026-11-24T02:00:00Z"), e.Get("time"));
        Assert.Equal(JValue.Parse("""["arn:aws:s3:::ingestion"]"""), e.Get("resources"));
        var detail = (JObject)e.Get("detail")!;
        Assert.Equal(["version", "bucket", "object", "request-id", "requester", "source-ip-address", "reason"], detail.Select(p => p.Key));
        Assert.Equal(new JString("PutObject"), detail.Get("reason"));
        var @object = (JObject)detail.Get("object")!;
        Assert.Equal(["key", "size", "etag", "version-id", "sequencer"], @object.Select(p => p.Key));
        Assert.Equal(JNumber.Of(42), @object.Get("size"));
    }
}
