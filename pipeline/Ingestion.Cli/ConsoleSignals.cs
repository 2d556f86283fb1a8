using System.Runtime.InteropServices;
using Ingestion.Domain;
using Ingestion.Domain.Storage;
using Ingestion.Domain.Students;

namespace Ingestion.Cli;

/// <summary>
/// Ctrl+C in two steps: the first cancels <see cref="Stop"/> (commands stop taking new work and finish cleanly), the
/// second cancels <see cref="Abort"/> (the execution in flight is stopped), a third ends the process at once.
/// SIGTERM does the first two together.
/// </summary>
internal sealed class ConsoleSignals : IDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly CancellationTokenSource abort = new();
    private readonly PosixSignalRegistration interrupt;
    private readonly PosixSignalRegistration terminate;

    private ConsoleSignals()
    {
        interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            if (!stop.IsCancellationRequested)
            {
                context.Cancel = true;
                stop.Cancel();
            }
            else if (!abort.IsCancellationRequested)
            {
                context.Cancel = true;
                abort.Cancel();
            }
        });
        terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
            abort.Cancel();
        });
    }

    public CancellationToken Stop => stop.Token;

    public CancellationToken Abort => abort.Token;

    public static ConsoleSignals Install() => new();

    public void Dispose()
    {
        interrupt.Dispose();
        terminate.Dispose();
        stop.Dispose();
        abort.Dispose();
    }
}
