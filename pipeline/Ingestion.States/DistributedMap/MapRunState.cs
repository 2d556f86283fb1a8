using System.Threading.Channels;
using Ingestion.States.Errors;
using Ingestion.States.Json;
using Ingestion.States.Model;
using Ingestion.States.Runtime;
using Ingestion.States.Templates;

namespace Ingestion.States.DistributedMap;

/// <summary>
/// What the producer, the workers and the completion of one Distributed Map run share: the state's
/// resolved settings, the channel between producer and workers, and the tallies they add to.
/// </summary>
/// <remarks>The outputs dictionary is the one lock; the counters are read by workers without it.</remarks>
internal sealed class MapRunState(
    ExecutionRun run,
    State.Map map,
    StateContext context,
    JValue effective,
    MapRunSettings settings,
    MapRunMemory memory,
    StateMachine childMachine,
    ResultFiles? writer,
    CancellationTokenSource linked)
{
    private readonly SortedDictionary<int, JValue?> _outputs = [];
    private long _failedItems;
    private long _totalItems;
    private StatesException? _failure;

    public ExecutionRun Run { get; } = run;

    public State.Map Map { get; } = map;

    public StatesEngineOptions Options => Run.Options;

    public StateContext Context { get; } = context;

    /// <summary>The state's input after InputPath.</summary>
    public JValue Effective { get; } = effective;

    public EvaluationScope Scope => new(Effective, Context, Options.Random);

    public MapRunSettings Settings { get; } = settings;

    public MapRunMemory Memory { get; } = memory;

    public MapRun MapRun => Memory.Run;

    public StateMachine ChildMachine { get; } = childMachine;

    public ResultFiles? Writer { get; } = writer;

    /// <summary>Cancelled by a failure (or by the execution): producer and workers stop.</summary>
    public CancellationToken Token => linked.Token;

    public Channel<Batch> Channel { get; } = System.Threading.Channels.Channel.CreateBounded<Batch>(
        new BoundedChannelOptions(settings.Concurrency) { SingleWriter = true });

    public StatesException? Failure => _failure;

    public long FailedItems => Interlocked.Read(ref _failedItems);

    public long TotalItems => Interlocked.Read(ref _totalItems);

    /// <summary>The children's outputs in item order (null where the results went to the ResultWriter).</summary>
    public IEnumerable<JValue?> Outputs => _outputs.Values;

    /// <summary>Keeps the first failure and stops the run.</summary>
    public void Fail(StatesException e)
    {
        lock (_outputs)
        {
            _failure ??= e;
        }

        linked.Cancel();
    }

    /// <summary>A failure found once producer and workers are done (no one else writes then).</summary>
    public void FailAtEnd(StatesException e) => _failure ??= e;

    public void ItemRead()
    {
        Interlocked.Increment(ref _totalItems);
        MapRun.ItemsRead(1);
    }

    /// <summary>A batch that succeeded in an earlier run: its output is reused as it was.</summary>
    public void Reuse(int index, JValue? output)
    {
        lock (_outputs)
        {
            _outputs[index] = output;
        }
    }

    /// <summary>A child's outcome: its output in place, remembered for redrive when it succeeded, counted when it did not.</summary>
    public void Record(Batch batch, JValue? output, bool succeeded)
    {
        lock (_outputs)
        {
            _outputs[batch.Index] = output;
            if (succeeded)
            {
                Memory.Succeeded[batch.Index] = output;
            }
            else
            {
                _failedItems += batch.ItemCount;
            }
        }
    }
}
