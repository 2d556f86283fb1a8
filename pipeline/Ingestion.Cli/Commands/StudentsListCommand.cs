using System.CommandLine;
using Ingestion.Cli.Output;
using Spectre.Console;

namespace Ingestion.Cli.Commands;

/// <summary><c>ingest students list [--department D]</c>.</summary>
internal static class StudentsListCommand
{
    private const int DefaultTableLimit = 100;

    public static Command Create(CliHost host)
    {
        var department = new Option<string?>("--department") { Description = "Only the students of this department (exact name).", HelpName = "D" };
        var limit = CommandContext.Limit($"How many students to show, by StudentID (default {DefaultTableLimit} in the table, all with --json).");
        var json = CommandContext.Json("Print one JSON line per stored item.");
        var command = new DocumentedCommand("list", "List the stored students by StudentID, optionally of one department.", """
            List the stored students, ordered by StudentID, optionally of one department.

            Example:
              ingest students list --department Mathematics
            """)
        {
            department, limit, json,
        };
        command.SetAction((parse, ct) => ListAsync(host, parse, parse.GetValue(department), parse.GetValue(limit), parse.GetValue(json), ct));
        return command;
    }

    private static async Task<int> ListAsync(CliHost host, ParseResult parse, string? department, int? limit, bool json, CancellationToken ct)
    {
        if (!CommandContext.IsValidLimit(host, "ingest students list", limit))
        {
            return ExitCodes.Usage;
        }

        await using var pipeline = CommandContext.OpenExisting(host, parse, ExitCodes.Success, out var exit);
        if (pipeline is null)
        {
            return exit;
        }

        var shown = 0;
        var max = limit ?? (json ? int.MaxValue : DefaultTableLimit);
        var more = false;
        var table = new Table { Border = host.OutIsTerminal ? TableBorder.Rounded : TableBorder.Markdown };
        table.AddColumns("StudentID", "Name", "Department", "Email", "Updated", "Source");
        await foreach (var student in pipeline.Students.ListAsync(department, ct))
        {
            if (shown == max)
            {
                more = true;
                break;
            }

            shown++;
            if (json)
            {
                JsonLines.Write(host.Out, writer => StudentsCommand.WriteItem(writer, student));
            }
            else
            {
                table.AddRow(
                    Formats.Cell(student.StudentId),
                    Formats.Cell(student.Name),
                    Formats.Cell(student.Department),
                    Formats.Cell(student.Email),
                    Formats.Time(student.UpdatedAt),
                    Formats.Cell($"{student.SourceKey} #{student.SourceIndex}"));
            }
        }

        if (!json)
        {
            host.Render(table);
            host.MarkupLine($"{shown} student(s){(more ? $", more not shown (--limit N)" : "")}.");
        }

        return ExitCodes.Success;
    }
}
