namespace Ingestion.Cdk;

/// <summary>Points <c>TMPDIR</c> at a per-process folder under the repository's git-ignored <c>.tmp/jsii/</c>.</summary>
/// <remarks>
/// The jsii runtime unpacks the CDK library (~65 MB) into the temporary folder of every process that uses it and never
/// removes it. Keeping it inside the repository keeps the user's <c>/tmp</c> clean; each process removes its own folder
/// when it exits and the folders of processes that are gone. Must run before the first CDK type is touched: the jsii
/// kernel (a node child process) inherits the environment when it starts.
/// </remarks>
internal static class ProjectTemp
{
    private static readonly Lock Gate = new();
    private static string? _current;

    public static string Use(RepositoryLayout layout)
    {
        lock (Gate)
        {
            if (_current is not null)
            {
                return _current;
            }

            var folder = ProcessScratch.Create(Path.Combine(layout.ScratchDirectory, "jsii"));
            foreach (var variable in new[] { "TMPDIR", "TMP", "TEMP" })
            {
                Environment.SetEnvironmentVariable(variable, folder);
            }

            AppDomain.CurrentDomain.ProcessExit += (_, _) => ProcessScratch.Release(folder);
            _current = folder;
            return folder;
        }
    }
}
