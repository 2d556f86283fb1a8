using Ingestion.Domain;
using Ingestion.Domain.Storage;
using Ingestion.Domain.Students;
using Ingestion.Functions.Reports;

namespace Ingestion.Functions;

/// <summary>Adds up the child executions of a map run and collects their rejected and failed records.</summary>
/// <remarks>
/// Layout of the results: see <see cref="SummarizeRunFunction"/>. Result files are read as streams, one child at a
/// time, and the records go to <see cref="Rejected"/> and <see cref="Failed"/>, which keep them on disk: memory holds
/// the counts and one child's output per file being read, however many records the run rejected or failed.
/// </remarks>
internal sealed class MapResultsReader : IDisposable
{
    public RunCounts Counts { get; private set; } = RunCounts.Zero;

    /// <summary>A batch that did not succeed could not be itemised (its input is not in the results).</summary>
    public bool Incomplete { get; private set; }

    /// <summary>Every rejected record, as a batch's output lists it (<see cref="RejectedJson"/>).</summary>
    public IndexedSpool Rejected { get; } = new();

    /// <summary>Every failed record: index, studentId, error, cause.</summary>
    public IndexedSpool Failed { get; } = new();

    /// <param name="succeededOnly">Read only the SUCCEEDED files: the map run was followed by a retry round, which ran
    /// its failed children again, so their outcome is that round's.</param>
    public async Task ReadAsync(IObjectStore objects, ManifestLocation location, bool succeededOnly, CancellationToken cancellationToken)
    {
        var (destination, parts) = await ResultFiles.ReadManifestAsync(objects, location, cancellationToken);
        if (succeededOnly)
        {
            parts.RemoveAll(part => part.Group != "SUCCEEDED");
        }

        // A large file's results are dozens of files: read them side by side (on Lambda the S3 reads overlap too),
        // each with counts of its own, added up afterwards.
        var readers = new ResultFileReader[parts.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(2, Environment.ProcessorCount), CancellationToken = cancellationToken };
        await Parallel.ForAsync(0, parts.Count, parallel, async (i, ct) =>
        {
            readers[i] = new ResultFileReader(Rejected, Failed);
            await readers[i].ReadAsync(objects, destination, parts[i].Key, parts[i].Group, ct);
        });
        foreach (var reader in readers)
        {
            Counts = Counts.Add(reader.Counts);
            Incomplete |= reader.Incomplete;
        }
    }

    public void Dispose()
    {
        Rejected.Dispose();
        Failed.Dispose();
    }
}
