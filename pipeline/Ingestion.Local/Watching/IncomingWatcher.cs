using Ingestion.Domain.Storage;
using Ingestion.Storage.Local.Folder;

namespace Ingestion.Local.Watching;

/// <summary>How <see cref="IncomingWatcher"/> decides a file is complete.</summary>
public sealed record IncomingWatcherOptions
{
    /// <summary>A file is taken once its size and modification time have not changed for this long.</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the folder is looked at.</summary>
    public TimeSpan Poll { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The clock that measures <see cref="Settle"/> and paces <see cref="Poll"/>.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}

/// <summary>What happened to one file the watcher took.</summary>
/// <param name="Result">The run's result; null when the file could not be delivered (see <paramref name="Problem"/>).</param>
public sealed record WatchedFile(string Key, FileRunResult? Result, string? Problem);

/// <summary>
/// <c>ingest watch</c>: ingests every file that appears in <c>&lt;data&gt;/s3/ingestion/incoming/</c> (sub-folders
/// included), one at a time, by delivering its Object Created event through the rule.
/// </summary>
/// <remarks>
/// <para>
/// A file is never read half-written: it is taken only once its size and modification time have stayed the same for
/// <see cref="IncomingWatcherOptions.Settle"/>. A writer that pauses longer than that mid-file would still be read
/// early, so the safe way to drop a file is to write it elsewhere (or under a name starting with <c>.</c>, which the
/// watcher ignores) and rename it into the folder: a rename is atomic, the file appears complete.
/// </para>
/// <para>
/// Files present at start are taken too. A file is taken once per content: one left in place (already processed, or
/// skipped) is not taken again unless it changes. Polling, not file-system notifications: it behaves the same on
/// every platform and on network folders.
/// </para>
/// </remarks>
public sealed class IncomingWatcher(LocalPipeline pipeline, IncomingWatcherOptions? options = null)
{
    private readonly IncomingWatcherOptions _options = options ?? new IncomingWatcherOptions();
    private readonly Dictionary<string, Observation> _seen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Size, DateTime Modified)> _taken = new(StringComparer.Ordinal);

    /// <summary>The folder watched.</summary>
    public string Folder => pipeline.Data.IncomingFolder;

    /// <summary>Watches until <paramref name="stop"/>; a file being ingested then is finished first, unless <paramref name="abort"/> stops it too.</summary>
    /// <param name="started">Told when a file's run starts (to show its progress).</param>
    /// <param name="completed">Told when a file's run ends.</param>
    public async Task RunAsync(Func<FileRun, Task>? started, Func<WatchedFile, Task> completed, CancellationToken stop, CancellationToken abort = default)
    {
        ArgumentNullException.ThrowIfNull(completed);
        while (!stop.IsCancellationRequested)
        {
            foreach (var key in Ready())
            {
                if (stop.IsCancellationRequested)
                {
                    break;
                }

                await completed(await IngestAsync(key, started, abort));
            }

            try
            {
                await Task.Delay(_options.Poll, _options.Clock, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
        }
    }

    /// <summary>Keys of the files that have settled and have not been taken in this state.</summary>
    internal IReadOnlyList<string> Ready()
    {
        var now = _options.Clock.GetUtcNow();
        var present = new HashSet<string>(StringComparer.Ordinal);
        var ready = new List<string>();
        if (!Directory.Exists(Folder))
        {
            return ready;
        }

        var bucketFolder = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(Folder))!;
        foreach (var path in Directory.EnumerateFiles(Folder, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 }))
        {
            var key = Path.GetRelativePath(bucketFolder, path).Replace(Path.DirectorySeparatorChar, '/');
            if (key.Split('/').Any(segment => segment.StartsWith('.') || segment.EndsWith('~')))
            {
                continue; // Hidden and editor back-up files: the way to write a file before renaming it in.
            }

            var file = new FileInfo(path);
            if (!file.Exists)
            {
                // A name that is not valid UTF-8 comes back with U+FFFD in it and cannot be opened by that name: it is
                // reported (once), never skipped in silence.
                if (key.Contains('\uFFFD', StringComparison.Ordinal) && _taken.TryAdd(key, default))
                {
                    ready.Add(key);
                }

                continue;
            }

            present.Add(key);
            var state = (file.Length, file.LastWriteTimeUtc);
            if (!_seen.TryGetValue(key, out var observation) || observation.Size != state.Length || observation.Modified != state.LastWriteTimeUtc)
            {
                _seen[key] = new Observation(state.Length, state.LastWriteTimeUtc, now);
                continue;
            }

            if (now - observation.Since >= _options.Settle
                && !(_taken.TryGetValue(key, out var done) && done == state))
            {
                _taken[key] = state;
                ready.Add(key);
            }
        }

        foreach (var gone in _seen.Keys.Where(k => !present.Contains(k)).ToList())
        {
            _seen.Remove(gone);
            _taken.Remove(gone);
        }

        ready.Sort(ObjectKey.CompareUtf8);
        return ready;
    }

    private async Task<WatchedFile> IngestAsync(string key, Func<FileRun, Task>? started, CancellationToken abort)
    {
        if (key.Contains('\uFFFD', StringComparison.Ordinal))
        {
            return new WatchedFile(key, null, IncomingProblems.NotUtf8);
        }

        if (!RegularFiles.Is(Path.Combine(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(Folder))!, key.Replace('/', Path.DirectorySeparatorChar))))
        {
            return new WatchedFile(key, null, IncomingProblems.NotRegular);
        }

        FileRun run;
        try
        {
            run = await pipeline.StartObjectAsync(key, abort);
        }
        catch (Exception e) when (e is InvalidObjectKeyException or Domain.Storage.ObjectNotFoundException or InvalidOperationException or IOException)
        {
            return new WatchedFile(key, null, e.Message);
        }

        if (started is not null)
        {
            await started(run);
        }

        return new WatchedFile(key, await run.CompleteAsync(abort), null);
    }

    private readonly record struct Observation(long Size, DateTime Modified, DateTimeOffset Since);
}
