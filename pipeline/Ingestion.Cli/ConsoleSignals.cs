using System.Runtime.InteropServices;

namespace Ingestion.Cli;

/// <summary>
/// Ctrl+C in two steps: the first cancels <see cref="Stop"/> (commands stop taking new work and finish cleanly), the
/// second cancels <see cref="Abort"/> (the execution in flight is stopped), a third ends the process at once.
/// SIGTERM does the first two together.
/// </summary>
internal sealed class ConsoleSignals : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;

    private ConsoleSignals()
    {
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            if (!_stop.IsCancellationRequested)
            {
                context.Cancel = true;
                _stop.Cancel();
            }
            else if (!_abort.IsCancellationRequested)
            {
                context.Cancel = true;
                _abort.Cancel();
            }
        });
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            _stop.Cancel();
            _abort.Cancel();
        });
    }

    public CancellationToken Stop => _stop.Token;

    public CancellationToken Abort => _abort.Token;

    public static ConsoleSignals Install() => new();

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _stop.Dispose();
        _abort.Dispose();
    }
}
