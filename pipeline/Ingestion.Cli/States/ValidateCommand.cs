using System.CommandLine;
using Ingestion.Cli.Output;
using Ingestion.States;

namespace Ingestion.Cli.States;

/// <summary><c>ingest states validate FILE</c>: prints every problem; exit 2 when there is one.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "The .asl.json definition to check.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Commands.DocumentedCommand("validate", "Check a definition: every problem is printed with its state and field.", """
            Check a definition as Step Functions would before creating the state machine: every problem is printed on a
            line of its own with its state and field. Exit code 0 when it is valid, 2 when it is not (or on a usage error).

            Example:
              ingest states validate pipeline/definitions/nightly-sync.asl.json
            """)
        {
            file,
        };
        // Usage problems are reported by the action itself so they exit 2, as documented, not the parser's 1.
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            if (parseResult.UnmatchedTokens.Count > 0)
            {
                error.WriteLine(TerminalText.Line($"Unexpected arguments: {string.Join(' ', parseResult.UnmatchedTokens)}"));
                return StatesCommand.UsageExitCode;
            }

            var path = parseResult.GetValue(file);
            if (string.IsNullOrEmpty(path))
            {
                error.WriteLine("Usage: ingest states validate FILE");
                return StatesCommand.UsageExitCode;
            }

            if (!File.Exists(path))
            {
                error.WriteLine(TerminalText.Line($"No such file: {path}"));
                return StatesCommand.UsageExitCode;
            }

            if (StateMachine.TryLoad(Path.GetFileName(path), File.ReadAllText(path), out var machine, out var problems))
            {
                output.WriteLine(TerminalText.Line($"{path}: valid ({machine.TopLevelStateCount} top-level states)"));
                return 0;
            }

            foreach (var problem in problems)
            {
                output.WriteLine(TerminalText.Line($"{path}: {(problem.State.Length == 0 ? "(top level)" : problem.State)}: {problem.Field}: {problem.Message}"));
            }

            output.WriteLine($"{problems.Count} problem(s)");
            return StatesCommand.UsageExitCode;
        });
        return command;
    }
}
