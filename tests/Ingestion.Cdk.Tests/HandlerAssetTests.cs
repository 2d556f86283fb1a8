using System.Text.Json.Nodes;
using Ingestion.Cdk.Tests.Support;

namespace Ingestion.Cdk.Tests;

/// <summary>The real path of <c>cdk synth</c>: <c>dotnet publish</c> of the handlers, then the stack around its output.</summary>
public sealed class PublishedHandlersFixture : StackFixture
{
    public PublishedHandlersFixture()
        : base(new Dictionary<string, object>(), Publish())
    {
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Scratch.Release(Path.GetDirectoryName(AssetDirectory)!);
        }
    }

    private static string Publish()
    {
        var layout = RepositoryLayout.Locate();
        return HandlerAsset.Publish(layout, Path.Combine(Scratch.Folder(layout, nameof(PublishedHandlersFixture) + "Publish"), "publish"));
    }
}

public sealed class HandlerAssetTests(PublishedHandlersFixture synthesized) : IClassFixture<PublishedHandlersFixture>
{
    [Fact]
    public void Publish_produces_a_framework_dependent_linux_arm64_build()
    {
        var deps = JsonNode.Parse(File.ReadAllText(Path.Combine(synthesized.AssetDirectory, "Ingestion.Functions.deps.json")))!;

        Assert.True(File.Exists(Path.Combine(synthesized.AssetDirectory, "Ingestion.Functions.dll")));
        Assert.Equal(".NETCoreApp,Version=v10.0/linux-arm64", deps["runtimeTarget"]!["name"]!.GetValue<string>());
        // Framework-dependent: the managed runtime brings .NET, the zip does not.
        Assert.False(File.Exists(Path.Combine(synthesized.AssetDirectory, "System.Private.CoreLib.dll")));
    }

    [Fact]
    public void EveryFunction_deploys_the_published_folder_as_one_asset()
    {
        var keys = synthesized.OfType("AWS::Lambda::Function")
            .Select(f => f.Resource["Properties"]!["Code"]!["S3Key"]!.GetValue<string>())
            .Distinct()
            .ToList();

        var key = Assert.Single(keys);
        var staged = Path.Combine(synthesized.OutputDirectory, "asset." + Path.GetFileNameWithoutExtension(key));
        Assert.True(File.Exists(Path.Combine(staged, "Ingestion.Functions.dll")), $"'{staged}' does not hold the published handlers.");
    }

    [Fact]
    public void EveryHandlerString_names_a_public_handle_async_of_stream_in_the_published_assembly()
    {
        var handlers = synthesized.OfType("AWS::Lambda::Function")
            .Select(f => f.Resource["Properties"]!["Handler"]!.GetValue<string>())
            .ToList();

        Assert.Equal(4, handlers.Count);
        foreach (var handler in handlers)
        {
            // Assembly::Namespace.Type::Method, as the managed .NET runtime reads it.
            var parts = handler.Split("::");
            Assert.Equal(3, parts.Length);
            var assembly = new AssemblyMetadata(Path.Combine(synthesized.AssetDirectory, parts[0] + ".dll"));
            var methods = assembly.PublicInstanceMethods(parts[1]);
            Assert.True(methods is not null, $"{handler}: no public type '{parts[1]}' in the published assembly.");
            Assert.Contains("Void .ctor()", methods);
            Assert.Contains($"System.Threading.Tasks.Task`1<System.IO.Stream> {parts[2]}(System.IO.Stream)", methods);
        }
    }
}
