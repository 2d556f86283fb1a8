using System.CommandLine;
using Ingestion.Cli.Output;
using Spectre.Console;

namespace Ingestion.Cli.Commands;

/// <summary><c>ingest students get ID</c>.</summary>
internal static class StudentsGetCommand
{
    public static Command Create(CliHost host)
    {
        var id = new Argument<string?>("ID") { Description = "The StudentID.", Arity = ArgumentArity.ZeroOrOne };
        var json = CommandContext.Json("Print the stored item as JSON.");
        var command = new DocumentedCommand("get", "Show one stored student and where it came from.", """
            Show one stored student: the record (with its extra attributes) and where it came from (source key, version,
            index, time) and when it was created and last updated. Exit code 1 when there is no such student.

            Example:
              ingest students get S-2001
            """)
        {
            id, json,
        };
        command.SetAction((parse, ct) => GetAsync(host, parse, parse.GetValue(id), parse.GetValue(json), ct));
        return command;
    }

    private static async Task<int> GetAsync(CliHost host, ParseResult parse, string? id, bool json, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            await host.Error.WriteLineAsync("ingest students get: give a StudentID, e.g. ingest students get S-2001");
            return ExitCodes.Usage;
        }

        await using var pipeline = CommandContext.OpenExisting(host, parse, ExitCodes.Failed, out var exit);
        if (pipeline is null)
        {
            return exit;
        }

        var student = await pipeline.Students.GetAsync(id, ct);
        if (student is null)
        {
            host.ErrorLine($"ingest students get: no student {id}.");
            return ExitCodes.Failed;
        }

        if (json)
        {
            JsonLines.Write(host.Out, writer => StudentsCommand.WriteItem(writer, student), indented: true);
            return ExitCodes.Success;
        }

        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("StudentID", Formats.Cell(student.StudentId));
        grid.AddRow("Name", Formats.Cell(student.Name));
        grid.AddRow("Department", Formats.Cell(student.Department));
        grid.AddRow("Email", Formats.Cell(student.Email));
        foreach (var (name, value) in StudentsCommand.Extras(student))
        {
            grid.AddRow(Formats.Cell(name), Formats.Cell(value.ValueKind == System.Text.Json.JsonValueKind.String ? value.GetString()! : value.GetRawText()));
        }

        grid.AddRow("Created", Formats.Time(student.CreatedAt));
        grid.AddRow("Updated", Formats.Time(student.UpdatedAt));
        grid.AddRow("Source", Formats.Cell($"{student.SourceKey} (version {student.SourceVersion}, index {student.SourceIndex}, {Formats.Time(student.SourceTime)})"));
        grid.AddRow("ContentHash", Formats.Cell(student.ContentHash));
        host.Render(grid);
        return ExitCodes.Success;
    }
}
