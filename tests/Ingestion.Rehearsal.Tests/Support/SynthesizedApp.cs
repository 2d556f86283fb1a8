using System.Text.Json.Nodes;
using Amazon.CDK;
using Ingestion.Cdk;

namespace Ingestion.Rehearsal.Tests.Support;

/// <summary>
/// The CDK app synthesized once per test run, as <c>cdk synth</c> does it: the Native AOT bootstrap published for
/// linux-arm64 (a minute or two the first time; the build folder is reused) and the stack around it in a cdk.out.
/// </summary>
public sealed class SynthesizedApp : IDisposable
{
    public SynthesizedApp()
    {
        var layout = RepositoryLayout.Locate();
        RepositoryRoot = layout.Root;
        ProjectTemp.Use(layout);
        Root = ProcessScratch.Create(Path.Combine(layout.ScratchDirectory, "rehearsal-tests"), "app");
        var asset = HandlerAsset.Publish(layout, Path.Combine(Root, "asset"));
        Directory = Path.Combine(Root, "cdk.out");
        var app = new App(new AppProps { Outdir = Directory });
        _ = new IngestionStack(app, "Ingestion", new IngestionStackSettings(asset, layout.DefinitionsDirectory, DeploymentSettings.FromContext(app.Node)));
        app.Synth();
    }

    public string RepositoryRoot { get; }

    /// <summary>The cdk.out folder.</summary>
    public string Directory { get; }

    private string Root { get; }

    public string TestData(string name) => Path.Combine(RepositoryRoot, "testdata", name);

    /// <summary>A copy of the cdk.out to break on purpose: the template is given to <paramref name="edit"/> as JSON.</summary>
    public string CopyWith(Action<JsonObject> edit, Action<string>? editFiles = null)
    {
        var copy = ProcessScratch.Create(Path.Combine(Root, "copies"), Guid.NewGuid().ToString("N")[..8]);
        foreach (var file in System.IO.Directory.GetFiles(Directory, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(Directory, file));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        var template = System.IO.Directory.GetFiles(copy, "*.template.json").Single();
        var json = JsonNode.Parse(File.ReadAllText(template))!.AsObject();
        edit(json);
        File.WriteAllText(template, json.ToJsonString());
        editFiles?.Invoke(copy);
        return copy;
    }

    public RehearsalOptions Options(string cloudAssembly, params string[] files) =>
        new(cloudAssembly, files, RepositoryRoot, ProcessScratch.Create(Path.Combine(Root, "work"), Guid.NewGuid().ToString("N")[..8]));

    public void Dispose() => ProcessScratch.Release(Root);
}

[CollectionDefinition(Name)]
public sealed class SynthesizedAppTests : ICollectionFixture<SynthesizedApp>
{
    public const string Name = "Synthesized app";
}
