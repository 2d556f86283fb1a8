using Ingestion.Local.Integrations;
using Ingestion.States;
using Ingestion.States.Json;
using Ingestion.Storage.Local.Outbox;

namespace Ingestion.Local.Tests.Integrations;

public sealed class SnsIntegrationTests : IAsyncLifetime
{
    private const string Topic = "arn:aws:sns:us-east-1:123456789012:StudentEvents";
    private readonly string _folder = Directory.CreateTempSubdirectory("sns-").FullName;
    private SqliteOutbox _outbox = null!;
    private StatesEngine _engine = null!;

    public Task InitializeAsync()
    {
        _outbox = new SqliteOutbox(Path.Combine(_folder, "ingest.db"));
        _engine = new StatesEngine();
        SnsIntegration.Register(_engine.Tasks, _outbox, new HashSet<string> { Topic });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _outbox.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task<ExecutionResult> RunAsync(string resource, string parameters)
    {
        var definition = $$$$"""{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"{{{{resource}}}}","Parameters":{{{{parameters}}}},"End":true}}}""";
        return await _engine.RunAsync(StateMachine.Load("Sns", definition), new JObject([]));
    }

    [Fact]
    public async Task PublishBatch_entries_read_from_their_JSON_text_are_stored_as_entries_built_as_trees()
    {
        // Compact, as a Lambda's output is: only such text is kept as text (see JParser.ParseLazy).
        const string entries = """[{"Id":"a","Subject":"S","Message":"plain","MessageAttributes":{"ChangeType":{"DataType":"String","StringValue":"created"}}},{"Id":"b","Message":{"changeType":"updated","n":1},"MessageAttributes":{}},{"Id":"c","Message":""},{"Id":"d","Message":"x","Subject":7},{"Id":"e","Message":null}]""";
        var definition = $$$$"""{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"{{{{SnsIntegration.SdkPrefix}}}}publishBatch","Parameters":{"TopicArn":"{{{{Topic}}}}","PublishBatchRequestEntries.$":"$.entries"},"End":true}}}""";
        var machine = StateMachine.Load("Sns", definition);
        var input = $$"""{"entries":{{entries}}}""";

        // The same request twice: as the tree JValue.Parse builds, then as text kept lazily (what a Lambda payload is).
        var fromTree = await _engine.RunAsync(machine, JValue.Parse(input));
        var lazy = JParser.ParseLazy(System.Text.Encoding.UTF8.GetBytes(input));
        Assert.True(((JObject)lazy).Get("entries")!.TryGetUtf8Text(out _), "the entries stay text");
        var fromText = await _engine.RunAsync(machine, lazy);

        Assert.True(fromTree.Succeeded, fromTree.Cause);
        Assert.True(fromText.Succeeded, fromText.Cause);
        static string Failed(ExecutionResult result) => ((JObject)result.Output!).Get("Failed")!.ToJsonString();
        Assert.Equal(Failed(fromTree), Failed(fromText));
        Assert.Equal(2, ((JArray)((JObject)fromText.Output!).Get("Failed")!).Count);
        var stored = await _outbox.ListAsync().ToListAsync();
        Assert.Equal(6, stored.Count);
        var (tree, text) = (stored.Take(3).ToList(), stored.Skip(3).ToList());
        Assert.Equal(tree.Select(m => (m.Subject, m.Message, m.AttributesJson)), text.Select(m => (m.Subject, m.Message, m.AttributesJson)));
        Assert.Equal(("S", "plain"), (text[0].Subject, text[0].Message));
        Assert.Contains("created", text[0].AttributesJson, StringComparison.Ordinal);
        Assert.Equal(("""{"changeType":"updated","n":1}""", null), (text[1].Message, text[1].AttributesJson));
        Assert.Equal(("x", null), (text[2].Message, text[2].Subject));
    }

    [Fact]
    public async Task Publish_stores_the_message_and_answers_with_its_MessageId()
    {
        var result = await RunAsync(SnsIntegration.PublishResource, $$$$"""{"TopicArn":"{{{{Topic}}}}","Subject":"Hi","Message":"hello","MessageAttributes":{"ChangeType":{"DataType":"String","StringValue":"created"}}}""");

        Assert.True(result.Succeeded, result.Cause);
        var output = (JObject)result.Output!;
        var stored = Assert.Single(await _outbox.ListAsync().ToListAsync());
        Assert.Equal(((JString)output.Get("MessageId")!).Value, stored.MessageId);
        Assert.NotNull(output.Get("SdkHttpMetadata"));
        Assert.Equal((Topic, "Hi", "hello"), (stored.Topic, stored.Subject, stored.Message));
        Assert.Equal("""{"ChangeType":{"DataType":"String","StringValue":"created"}}""", stored.AttributesJson);
    }

    [Fact]
    public async Task PublishBatch_answers_with_AWS_shape_and_keeps_the_order()
    {
        var entries = string.Join(",", Enumerable.Range(0, 10).Select(i => $$"""{"Id":"r{{i}}","Message":"m{{i}}"}"""));
        var result = await RunAsync(SnsIntegration.SdkPrefix + "publishBatch", $$"""{"TopicArn":"{{Topic}}","PublishBatchRequestEntries":[{{entries}}]}""");

        Assert.True(result.Succeeded, result.Cause);
        var output = (JObject)result.Output!;
        Assert.Equal(["Failed", "Successful"], output.Select(p => p.Key));
        Assert.Empty((JArray)output.Get("Failed")!);
        var successful = ((JArray)output.Get("Successful")!).Cast<JObject>().ToList();
        var stored = await _outbox.ListAsync().ToListAsync();
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"r{i}"), successful.Select(s => ((JString)s.Get("Id")!).Value));
        Assert.Equal(successful.Select(s => ((JString)s.Get("MessageId")!).Value), stored.Select(s => s.MessageId));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"m{i}"), stored.Select(s => s.Message));
    }

    [Fact]
    public async Task An_entry_without_a_message_is_reported_failed_the_others_published()
    {
        var result = await RunAsync(SnsIntegration.SdkPrefix + "publishBatch", $$"""{"TopicArn":"{{Topic}}","PublishBatchRequestEntries":[{"Id":"a","Message":"x"},{"Id":"b"}]}""");

        var failed = (JObject)Assert.Single((JArray)((JObject)result.Output!).Get("Failed")!);
        Assert.Equal("b", ((JString)failed.Get("Id")!).Value);
        Assert.Equal("InvalidParameter", ((JString)failed.Get("Code")!).Value);
        Assert.Single(await _outbox.ListAsync().ToListAsync());
    }

    [Theory]
    [InlineData("""{"TopicArn":"{topic}","PublishBatchRequestEntries":[]}""", "Sns.EmptyBatchRequestException")]
    [InlineData("""{"TopicArn":"{topic}","PublishBatchRequestEntries":[{"Id":"a","Message":"x"},{"Id":"a","Message":"y"}]}""", "Sns.BatchEntryIdsNotDistinctException")]
    [InlineData("""{"TopicArn":"{topic}","PublishBatchRequestEntries":[{"Id":"a b","Message":"x"}]}""", "Sns.InvalidBatchEntryIdException")]
    [InlineData("""{"TopicArn":"arn:aws:sns:us-east-1:123456789012:Nope","PublishBatchRequestEntries":[{"Id":"a","Message":"x"}]}""", "Sns.NotFoundException")]
    [InlineData("""{"PublishBatchRequestEntries":[{"Id":"a","Message":"x"}]}""", "Sns.InvalidParameterException")]
    public async Task A_request_SNS_refuses_fails_with_SNS_error_name(string parameters, string error)
    {
        var result = await RunAsync(SnsIntegration.SdkPrefix + "publishBatch", parameters.Replace("{topic}", Topic, StringComparison.Ordinal));

        Assert.Equal((ExecutionStatus.Failed, error), (result.Status, result.Error));
        Assert.Empty(await _outbox.ListAsync().ToListAsync());
    }

    [Fact]
    public async Task More_than_ten_entries_are_refused()
    {
        var entries = string.Join(",", Enumerable.Range(0, 11).Select(i => $$"""{"Id":"r{{i}}","Message":"m"}"""));
        var result = await RunAsync(SnsIntegration.SdkPrefix + "publishBatch", $$"""{"TopicArn":"{{Topic}}","PublishBatchRequestEntries":[{{entries}}]}""");

        Assert.Equal("Sns.TooManyEntriesInBatchRequestException", result.Error);
    }

    [Fact]
    public async Task The_optimised_publish_names_its_errors_SNS()
    {
        var result = await RunAsync(SnsIntegration.PublishResource, $$"""{"TopicArn":"{{Topic}}","Message":""}""");

        Assert.Equal("SNS.InvalidParameterException", result.Error);
    }
}
