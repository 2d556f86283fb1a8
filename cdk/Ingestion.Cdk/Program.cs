using Amazon.CDK;

namespace Ingestion.Cdk;

internal static class Program
{
    public static void Main()
    {
        var app = new App(new AppProps { Outdir = System.Environment.GetEnvironmentVariable("CDK_OUTDIR") ?? "cdk.out" });
        app.Synth();
    }
}
