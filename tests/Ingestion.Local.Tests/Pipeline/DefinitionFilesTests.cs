using Ingestion.Local.Definitions;
using Ingestion.States;

namespace Ingestion.Local.Tests.Pipeline;

public sealed class DefinitionFilesTests
{
    [Fact]
    public void Every_file_of_pipeline_definitions_is_embedded()
    {
        Assert.Equal([DefinitionFiles.IngestFile, DefinitionFiles.IngestRule, DefinitionFiles.NightlySync, DefinitionFiles.ProcessBatch], DefinitionFiles.Names);
    }

    [Theory]
    [InlineData(DefinitionFiles.IngestFile)]
    [InlineData(DefinitionFiles.NightlySync)]
    [InlineData(DefinitionFiles.IngestRule)]
    [InlineData(DefinitionFiles.ProcessBatch)]
    public void The_embedded_file_is_the_committed_file(string name)
    {
        var committed = Path.Combine(AppContext.BaseDirectory, "definitions", name);

        Assert.Equal(File.ReadAllText(committed), DefinitionFiles.ReadRaw(name));
    }

    [Theory]
    [InlineData(DefinitionFiles.IngestFile)]
    [InlineData(DefinitionFiles.NightlySync)]
    public void Every_placeholder_gets_a_local_value_and_the_definition_is_valid(string name)
    {
        var text = DefinitionFiles.Read(name, new LocalResources().Substitutions);

        Assert.DoesNotContain("${", text, StringComparison.Ordinal);
        var valid = StateMachine.TryLoad(name, text, out _, out var problems);
        Assert.True(valid, string.Join("; ", problems.Select(p => $"{p.State}.{p.Field}: {p.Message}")));
    }

    [Fact]
    public void A_placeholder_without_a_value_is_refused_by_name()
    {
        var error = Assert.Throws<InvalidOperationException>(() => DefinitionFiles.Read(DefinitionFiles.IngestFile, new Dictionary<string, string>()));

        Assert.Contains("${RegisterFileFunctionArn}", error.Message, StringComparison.Ordinal);
    }
}
