using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.Assertions;

namespace Ingestion.Cdk.Tests.Support;

/// <summary>The stack, synthesized once, as the CDK's <see cref="Assertions.Template"/> and as parsed JSON.</summary>
/// <remarks>
/// The handlers' asset is a one-file folder here, so the suite stays fast; <c>HandlerAssetTests</c> runs the real
/// Native AOT publish once.
/// </remarks>
public class StackFixture : IDisposable
{
    public StackFixture()
        : this(new Dictionary<string, object>(), assetDirectory: null)
    {
    }

    protected StackFixture(Dictionary<string, object> context, string? assetDirectory)
    {
        Layout = RepositoryLayout.Locate();
        ProjectTemp.Use(Layout);
        ScratchFolder = Scratch.Folder(Layout, GetType().Name);
        var scratch = ScratchFolder;

        if (assetDirectory is null)
        {
            assetDirectory = Path.Combine(scratch, "asset");
            Directory.CreateDirectory(assetDirectory);
            File.WriteAllText(Path.Combine(assetDirectory, "bootstrap"), "stand-in for the published bootstrap");
        }

        AssetDirectory = assetDirectory;
        OutputDirectory = Path.Combine(scratch, "cdk.out");
        var app = new App(new AppProps { Outdir = OutputDirectory, Context = context });
        Stack = new IngestionStack(app, "Ingestion", new IngestionStackSettings(
            HandlerAssetDirectory: assetDirectory,
            DefinitionsDirectory: Layout.DefinitionsDirectory,
            Deployment: DeploymentSettings.FromContext(app.Node)));

        var assembly = app.Synth();
        TemplatePath = assembly.GetStackArtifact(Stack.ArtifactId).TemplateFullPath;
        var text = File.ReadAllText(TemplatePath);
        Template = Template.FromString(text);
        Json = JsonNode.Parse(text)!.AsObject();
    }

    internal RepositoryLayout Layout { get; }

    internal IngestionStack Stack { get; }

    public string AssetDirectory { get; }

    public string ScratchFolder { get; }

    public string OutputDirectory { get; }

    public string TemplatePath { get; }

    public Template Template { get; }

    public JsonObject Json { get; }

    public JsonObject AllResources => Json["Resources"]!.AsObject();

    /// <summary>The logical id CloudFormation knows a construct by.</summary>
    internal string Id(Constructs.IConstruct construct) =>
        Stack.GetLogicalId((CfnElement)(construct.Node.DefaultChild ?? construct));

    internal JsonObject Resource(Constructs.IConstruct construct) => AllResources[Id(construct)]!.AsObject();

    internal JsonObject Properties(Constructs.IConstruct construct) => Resource(construct)["Properties"]!.AsObject();

    public IEnumerable<(string Id, JsonObject Resource)> OfType(string type) =>
        AllResources.Where(r => r.Value!["Type"]!.GetValue<string>() == type).Select(r => (r.Key, r.Value!.AsObject()));

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Scratch.Release(ScratchFolder);
        }
    }
}

/// <summary>The default stack (no context), shared by every class in the collection: one synth per run.</summary>
[CollectionDefinition(Name)]
public sealed class SharedTemplate : ICollectionFixture<StackFixture>
{
    public const string Name = "Default stack";
}
