using Ingestion.Domain;

namespace Ingestion.Local;

/// <summary>
/// A file the pipeline wrote earlier cannot be read as what it is (a report that is not JSON: cut off by a full disk,
/// edited by hand). It names the file, so the user can restore or move it.
/// </summary>
/// <param name="file">The file's path in the folder bucket, or its S3 URI.</param>
/// <param name="problem">What is wrong with it, e.g. where its JSON breaks.</param>
public sealed class DamagedFileException(string file, string problem, Exception? innerException = null)
    : IngestionException($"{file} is damaged ({problem}).", innerException)
{
    public string File { get; } = file;

    public string Problem { get; } = problem;
}
