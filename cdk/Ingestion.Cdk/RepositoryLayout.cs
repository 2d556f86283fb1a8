namespace Ingestion.Cdk;

/// <summary>Where the app finds what it deploys: the definitions and the bootstrap's project, relative to the repository root.</summary>
/// <remarks>
/// The root is found by walking up to <c>Ingestion.sln</c>, from the current directory first (the CDK CLI runs the app
/// where <c>cdk.json</c> is) and then from the assembly's folder (tests run from their <c>bin/</c> folder).
/// </remarks>
internal sealed record RepositoryLayout(string Root)
{
    private const string Marker = "Ingestion.sln";

    public string DefinitionsDirectory => Path.Combine(Root, "pipeline", "definitions");

    /// <summary>The project whose Native AOT executable is the functions' package.</summary>
    public string BootstrapProject => Path.Combine(Root, "handlers", "Ingestion.Functions.Bootstrap", "Ingestion.Functions.Bootstrap.csproj");

    /// <summary>The git-ignored scratch folder for generated files that are not deployment output.</summary>
    public string ScratchDirectory => Path.Combine(Root, ".tmp");

    public static RepositoryLayout Locate()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, Marker)))
                {
                    return new RepositoryLayout(dir.FullName);
                }
            }
        }

        throw new InvalidOperationException(
            $"No {Marker} above '{Directory.GetCurrentDirectory()}' or '{AppContext.BaseDirectory}': run the CDK app from the repository.");
    }
}
