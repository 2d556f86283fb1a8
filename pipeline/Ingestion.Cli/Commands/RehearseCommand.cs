using System.CommandLine;
using System.Globalization;
using Ingestion.Rehearsal;
using Ingestion.Rehearsal.Template;

namespace Ingestion.Cli.Commands;

/// <summary><c>ingest rehearse FILE…</c>: the synthesized deployment (<c>cdk.out</c>) run here, before it is deployed.</summary>
internal static class RehearseCommand
{
    public static Command Create(CliHost host)
    {
        var files = new Argument<string[]>("FILE") { Description = "Files to ingest through the rehearsed deployment.", Arity = ArgumentArity.OneOrMore };
        var cdkOut = new Option<string>("--cdk-out")
        {
            Description = "The synthesized CDK app (default cdk.out).",
            DefaultValueFactory = _ => "cdk.out",
            HelpName = "DIR",
        };
        var package = new Option<string?>("--package")
        {
            Description = "Run this folder's bootstrap for every function instead of the packaged one (e.g. a native linux-x64 build, to measure cold start without emulation).",
            HelpName = "DIR",
        };
        var command = new DocumentedCommand("rehearse", "Run the synthesized deployment (cdk.out) here: the packaged bootstraps, the template's definition, tables and bucket.", """
            Take the stack template and assets the CDK app synthesized (cdk synth, or CDK_OUTDIR=DIR dotnet run
            --project cdk/Ingestion.Cdk) and run what would be deployed: each function's packaged `bootstrap` as a
            process (under qemu-aarch64-static on an x86_64 machine) with exactly the environment the template
            gives it, against a Lambda Runtime API; the state machine the Object Created rule targets, from the
            template's definition with its substitutions, in the interpreter; the template's tables in dynalite
            and its bucket in s3rver (npm packages: run `npm ci` first). Each FILE is uploaded to incoming/ and its
            Object Created event is matched against the rule's pattern.

            Prints each file's outcome and counts, each function's init and first-invocation durations (only
            indicative under qemu), and every problem found: a failed run, a metric the dashboard or an alarm reads
            that no function emitted, a student's name or e-mail address in a log line.

            Exit code: 0 when nothing was found, 1 when a problem was, 2 on a usage error.

            Examples:
              ingest rehearse testdata/students-mixed.json testdata/unparseable.json
              dotnet publish handlers/Ingestion.Functions.Bootstrap -c Release -r linux-x64 -o .tmp/native
              ingest rehearse testdata/students-mixed.json --package .tmp/native
            """)
        {
            files, cdkOut, package,
        };
        command.SetAction((parse, stop) => RunAsync(host, parse.GetValue(files)!, parse.GetValue(cdkOut)!, parse.GetValue(package), stop));
        return command;
    }

    private static async Task<int> RunAsync(CliHost host, string[] files, string cdkOut, string? package, CancellationToken stop)
    {
        if (files.FirstOrDefault(f => !File.Exists(f)) is { } missing)
        {
            host.ErrorLine($"ingest rehearse: no file '{missing}'.");
            return ExitCodes.Usage;
        }

        var root = NodeModulesRoot();
        if (root is null)
        {
            await host.Error.WriteLineAsync("ingest rehearse: no node_modules/dynalite here or above: run `npm ci` in the repository and run the command from it.");
            return ExitCodes.Usage;
        }

        var work = Path.Combine(Path.GetTempPath(), "ingest-rehearse-" + Guid.NewGuid().ToString("N")[..8]);
        RehearsalReport report;
        try
        {
            report = await DeploymentRehearsal.RunAsync(new RehearsalOptions(Path.GetFullPath(cdkOut), files, root, work, package is null ? null : Path.GetFullPath(package)), stop);
        }
        catch (Exception e) when (e is RehearsalException or TemplateException)
        {
            host.ErrorLine($"ingest rehearse: {e.Message}");
            return ExitCodes.Failed;
        }
        finally
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }

        Print(host, report);
        return report.Passed ? ExitCodes.Success : ExitCodes.Failed;
    }

    private static void Print(CliHost host, RehearsalReport report)
    {
        foreach (var file in report.Files)
        {
            var c = file.Counts;
            host.OutLine(
                $"{Path.GetFileName(file.File)}: {file.ExecutionStatus}{(file.Error is null ? "" : " (" + file.Error + ")")}; received {c.Received}, created {c.Created}, updated {c.Updated}, unchanged {c.Unchanged}, rejected {c.Rejected}, failed {c.Failed}; report {file.ReportKey ?? "none"}");
        }

        foreach (var function in report.Functions)
        {
            host.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{function.Name} ({function.Handler}): init {function.InitDuration.TotalMilliseconds:0} ms, first invocation {function.FirstInvocationDuration?.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) ?? "-"} ms{(function.Emulated ? " (under qemu: indicative only)" : "")}"));
        }

        host.Out.WriteLine(report.Passed ? "No problems found." : $"{report.Problems.Count} problem(s):");
        foreach (var problem in report.Problems)
        {
            host.OutLine($"  {problem}");
        }
    }

    private static string? NodeModulesRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "node_modules", "dynalite")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
