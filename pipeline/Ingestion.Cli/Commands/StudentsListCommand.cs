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
        var department = new Option<string?>("--department") { Description = "Only the students of this department (its name in any case: mathematics finds Mathematics).", HelpName = "D" };
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
        // At 80 columns the record's own fields; when and where from are `ingest students get ID`'s.
        var narrow = host.OutIsNarrow;
        // Identifiers and addresses stay whole; names and departments have spaces to wrap at.
        table.AddColumn(new TableColumn("StudentID").NoWrap());
        table.AddColumns("Name", "Department");
        table.AddColumn(new TableColumn("Email").NoWrap());
        if (!narrow)
        {
            table.AddColumns("Updated", "Source");
        }

        // Departments are typed by people: "mathematics" means Mathematics. The stores match exactly, so the students
        // are filtered here (SQLite has no index on Department either; on DynamoDB this scans instead of querying).
        await foreach (var student in pipeline.Students.ListAsync(null, ct))
        {
            if (department is not null && !string.Equals(student.Department, department, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

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
            else if (narrow)
            {
                table.AddRow(Formats.Cell(student.StudentId), Formats.Cell(student.Name), Formats.Cell(student.Department), Formats.Cell(student.Email));
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
