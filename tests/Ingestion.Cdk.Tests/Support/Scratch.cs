namespace Ingestion.Cdk.Tests.Support;

/// <summary>Per-process folders under the repository's git-ignored <c>.tmp/cdk-tests/</c>.</summary>
/// <remarks>A fixture releases its own folder; folders of test processes that are gone are removed on the next run.</remarks>
internal static class Scratch
{
    public static string Folder(RepositoryLayout layout, string name) =>
        ProcessScratch.Create(Path.Combine(layout.ScratchDirectory, "cdk-tests"), name);

    public static void Release(string folder) => ProcessScratch.Release(folder);
}
