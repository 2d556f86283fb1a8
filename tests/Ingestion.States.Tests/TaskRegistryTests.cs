using Ingestion.States.Integrations;
using Ingestion.States.Json;

namespace Ingestion.States.Tests;

/// <summary>Which handler a Task resource reaches.</summary>
public sealed class TaskRegistryTests
{
    private static TaskHandler Answer(string text) => (_, _) => ValueTask.FromResult<JValue>(new JString(text));

    private static async Task<string> Run(TaskRegistry tasks, string resource) =>
        ((JString)await tasks.Resolve(resource)(new TaskRequest(resource, JValue.Null, "T", "arn:execution", "arn:machine", 0), CancellationToken.None)).Value;

    [Fact]
    public async Task The_exact_resource_wins_then_the_longest_prefix()
    {
        var tasks = new TaskRegistry()
            .Register("arn:aws:states:::aws-sdk:*", Answer("sdk"))
            .Register("arn:aws:states:::aws-sdk:sns:", Answer("sns"))
            .Register("arn:aws:states:::aws-sdk:sns:publish", Answer("publish"));

        Assert.Equal("publish", await Run(tasks, "arn:aws:states:::aws-sdk:sns:publish"));
        Assert.Equal("sns", await Run(tasks, "arn:aws:states:::aws-sdk:sns:publishBatch"));
        Assert.Equal("sdk", await Run(tasks, "arn:aws:states:::aws-sdk:sqs:sendMessage"));
    }

    [Fact]
    public async Task Registering_a_prefix_again_replaces_its_handler_as_for_an_exact_resource()
    {
        var tasks = new TaskRegistry().Register("arn:aws:states:::aws-sdk:sns:", Answer("first")).Register("arn:aws:states:::lambda:invoke", Answer("first"));
        var wrapped = tasks.Resolve("arn:aws:states:::aws-sdk:sns:");
        tasks.Register("arn:aws:states:::aws-sdk:sns:", async (request, ct) => new JString("wrapped " + ((JString)await wrapped(request, ct)).Value));
        tasks.Register("arn:aws:states:::lambda:invoke", Answer("second"));

        Assert.Equal("wrapped first", await Run(tasks, "arn:aws:states:::aws-sdk:sns:publishBatch"));
        Assert.Equal("second", await Run(tasks, "arn:aws:states:::lambda:invoke"));
    }
}
