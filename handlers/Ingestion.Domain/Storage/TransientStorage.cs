namespace Ingestion.Domain.Storage;

/// <summary>
/// Tries a storage read again when it failed for a passing reason (throttled, unreachable). On AWS the SDK has already
/// retried the request; this covers the rarer case where its retries ran out, so that SummarizeRun, which reads a
/// manifest and result file per round, does not fail whole (and start over) for one read among many.
/// </summary>
public static class TransientStorage
{
    private const int Attempts = 4;

    public static async Task<T> ReadAsync<T>(Func<Task<T>> read, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await read();
            }
            catch (Exception e) when (e is StorageThrottledException or StorageUnreachableException && attempt < Attempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50 << attempt), cancellationToken);
            }
        }
    }
}
