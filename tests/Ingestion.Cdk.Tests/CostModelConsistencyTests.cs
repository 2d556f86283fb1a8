using Ingestion.Cdk.Tests.Support;
using Ingestion.Tools.Cost;

namespace Ingestion.Cdk.Tests;

/// <summary>`ingest cost` prices the functions the stack deploys: the same memory, on Arm.</summary>
[Collection(SharedTemplate.Name)]
public sealed class CostModelConsistencyTests(StackFixture synthesized)
{
    public static TheoryData<string> Functions => [.. DeployedFunctions.All.Select(f => f.Name)];

    [Theory]
    [MemberData(nameof(Functions))]
    public void CostModelFunction_has_the_deployed_memory_and_architecture(string name)
    {
        var priced = DeployedFunctions.All.Single(f => f.Name == name);
        var properties = synthesized.Properties(synthesized.Stack.Functions.All.Single(f => f.Node.Id == name));

        Assert.Equal(properties["MemorySize"]!.GetValue<int>(), priced.MemoryMb);
        Assert.Equal([DeployedFunctions.Architecture], Render.List(properties["Architectures"]));
    }

    [Fact]
    public void CostModel_prices_every_deployed_function()
    {
        Assert.Equal(
            synthesized.Stack.Functions.All.Select(f => f.Node.Id).Order(StringComparer.Ordinal),
            DeployedFunctions.All.Select(f => f.Name).Order(StringComparer.Ordinal));
    }
}
