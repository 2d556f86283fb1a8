using Amazon.CDK;

namespace Ingestion.Cdk;

/// <summary>The CDK app: <c>cdk.json</c> runs it with <c>dotnet run</c>; it publishes the handlers, then synthesizes.</summary>
internal static class Program
{
    public static void Main()
    {
        var layout = RepositoryLayout.Locate();
        // Before the first CDK type: the jsii kernel inherits TMPDIR when it starts.
        ProjectTemp.Use(layout);

        var asset = HandlerAsset.Publish(layout, Path.Combine(layout.ScratchDirectory, "handlers-asset"));

        var app = new App(new AppProps { Outdir = System.Environment.GetEnvironmentVariable("CDK_OUTDIR") ?? "cdk.out" });
        _ = new IngestionStack(app, "Ingestion", new IngestionStackSettings(
            HandlerAssetDirectory: asset,
            DefinitionsDirectory: layout.DefinitionsDirectory,
            Deployment: DeploymentSettings.FromContext(app.Node)));
        app.Synth();
    }
}
