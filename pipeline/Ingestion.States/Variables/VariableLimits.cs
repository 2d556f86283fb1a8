using Ingestion.States.Errors;
using Ingestion.States.Json;

namespace Ingestion.States.Variables;

/// <summary>AWS's size limits on workflow variables, counted in UTF-8 bytes of their JSON.</summary>
internal static class VariableLimits
{
    /// <summary>One variable's value: 256 KiB.</summary>
    public const int VariableBytes = 256 * 1024;

    /// <summary>All the values of one Assign field together: 256 KiB.</summary>
    public const int AssignBytes = 256 * 1024;

    /// <summary>Every variable an execution holds at once: 10 MiB.</summary>
    public const long ExecutionBytes = 10L * 1024 * 1024;

    /// <summary>Checks one Assign's values and gives their total size; exceeding a limit is States.Runtime, which nothing but its name catches.</summary>
    public static long Check(JObject assignments, string state)
    {
        var total = 0L;
        foreach (var (name, value) in assignments)
        {
            var bytes = value.Utf8Length;
            if (bytes > VariableBytes)
            {
                throw new StatesException(StatesErrors.Runtime,
                    $"The variable '{name}' assigned by the state '{state}' has a size of {bytes} bytes, over the limit of {VariableBytes} bytes.");
            }

            total += bytes;
        }

        return total <= AssignBytes
            ? total
            : throw new StatesException(StatesErrors.Runtime,
                $"The variables assigned by the state '{state}' have a size of {total} bytes together, over the limit of {AssignBytes} bytes for one Assign.");
    }
}
