using System.CommandLine;
using System.Text.Json;
using Ingestion.Cli.Output;
using Ingestion.Domain;
using Spectre.Console;

namespace Ingestion.Cli.Commands;

/// <summary><c>ingest outbox</c>: what would have been published to SNS.</summary>
internal static class OutboxCommand
{
    /// <summary>At 80 columns, an attribute line longer than this (<c>Department=Computer Science</c>) is wrapped.</summary>
    private const int NarrowAttributesWidth = 22;

    private const int DefaultTableLimit = 20;

    public static Command Create(CliHost host)
    {
        var topic = new Option<string?>("--topic") { Description = "Only this topic: StudentEvents, AdminAlerts, or a topic ARN.", HelpName = "TOPIC" };
        var limit = CommandContext.Limit($"How many of the latest messages to show (default {DefaultTableLimit} in the table, all with --json).");
        var json = CommandContext.Json("Print one JSON line per message (sequence, messageId, topic, subject, message, attributes, publishedAt).");
        var full = new Option<bool>("--full") { Description = "Print each message whole, as its e-mail reads (subject, then text), instead of the table: the nightly digest, a file's summary." };
        var command = new DocumentedCommand("outbox", "Show the messages published to the SNS topics (locally an outbox: nothing leaves the machine).", """
            Show the messages the pipeline published, latest last: student changes to StudentEvents (with the ChangeType
            and Department attributes subscribers filter on) and run summaries to AdminAlerts. Locally, SNS is this
            outbox: nothing leaves the machine.

            Example:
              ingest outbox --topic StudentEvents --limit 5
              ingest outbox --topic AdminAlerts --limit 1 --full
            """)
        {
            topic, limit, json, full,
        };
        command.SetAction((parse, ct) => ShowAsync(host, parse, parse.GetValue(topic), parse.GetValue(limit), parse.GetValue(json), parse.GetValue(full), ct));
        return command;
    }

    private static async Task<int> ShowAsync(CliHost host, ParseResult parse, string? topic, int? limit, bool json, bool full, CancellationToken ct)
    {
        if (!CommandContext.IsValidLimit(host, "ingest outbox", limit))
        {
            return ExitCodes.Usage;
        }

        if (json && full)
        {
            await host.Error.WriteLineAsync("ingest outbox: give one of --json and --full.");
            return ExitCodes.Usage;
        }

        await using var pipeline = CommandContext.OpenExisting(host, parse, ExitCodes.Success, out var exit);
        if (pipeline is null)
        {
            return exit;
        }

        string? topicArn = null;
        if (topic is not null && !TryFindTopic(pipeline.Resources, topic, out topicArn))
        {
            host.ErrorLine($"ingest outbox: there is no topic '{topic}'; the topics are {Ingestion.Local.Definitions.LocalResources.StudentEvents} and {Ingestion.Local.Definitions.LocalResources.AdminAlerts} (or their ARNs, {pipeline.Resources.StudentEventsTopicArn} and {pipeline.Resources.AdminAlertsTopicArn}).");
            return ExitCodes.Usage;
        }

        var max = limit ?? (json ? (int?)null : DefaultTableLimit);
        var messages = pipeline.Outbox.ListAsync(topicArn, max, latest: true, ct);
        if (json)
        {
            await foreach (var message in messages)
            {
                JsonLines.Write(host.Out, writer =>
                {
                    writer.WriteStartObject();
                    writer.WriteNumber("sequence", message.Sequence);
                    writer.WriteString("messageId", message.MessageId);
                    writer.WriteString("topic", message.Topic);
                    writer.WriteString("subject", message.Subject);
                    writer.WriteString("message", message.Message);
                    JsonLines.WriteRaw(writer, "attributes", message.AttributesJson);
                    writer.WriteString("publishedAt", TimeFormat.ToWire(message.PublishedAt));
                    writer.WriteEndObject();
                });
            }

            return ExitCodes.Success;
        }

        if (full)
        {
            await WriteWholeAsync(host, messages);
            return ExitCodes.Success;
        }

        var table = new Table { Border = host.OutIsTerminal ? TableBorder.Rounded : TableBorder.Markdown };
        // At 80 columns the time goes (--json has it) and the text is cut shorter, so each message stays a few lines;
        // the cells are wrapped here, where their text breaks (a JSON message after its commas), not mid-word by the table.
        var narrow = host.OutIsNarrow;
        table.AddColumn(new TableColumn("#").RightAligned().NoWrap());
        if (!narrow)
        {
            table.AddColumn(new TableColumn("Published").NoWrap());
        }

        table.AddColumn(new TableColumn("Topic").NoWrap());
        table.AddColumn(new TableColumn("Attributes") { NoWrap = narrow });
        table.AddColumn(new TableColumn("Subject, or the message") { NoWrap = narrow });
        var rows = new List<(string Sequence, string Published, string Topic, string Attributes, string Text)>();
        await foreach (var message in messages)
        {
            // Made visible before the widths below are measured: they count what is shown.
            rows.Add((
                Formats.Count(message.Sequence),
                Formats.Time(message.PublishedAt),
                TerminalText.Visible(Formats.NameOf(message.Topic)),
                string.Join('\n', Attributes(message.AttributesJson).Select(TerminalText.Visible)),
                TerminalText.Visible(Formats.Short(message.Subject ?? message.Message.ReplaceLineEndings(" "), narrow ? 60 : 120))));
        }

        var attributesWidth = Math.Min(NarrowAttributesWidth, rows.SelectMany(r => r.Attributes.Split('\n')).Select(line => line.Length).DefaultIfEmpty(0).Max());
        var textWidth = Formats.Room(
            host.OutWidth,
            4,
            rows.Select(r => r.Sequence.Length).DefaultIfEmpty(1).Max(),
            rows.Select(r => r.Topic.Length).Append("Topic".Length).Max(),
            Math.Max(attributesWidth, "Attributes".Length));
        foreach (var row in rows)
        {
            table.AddRow(narrow
                ? [row.Sequence, Markup.Escape(row.Topic), Markup.Escape(string.Join('\n', row.Attributes.Split('\n').Select(line => Formats.Wrap(line, attributesWidth, " =")))), Markup.Escape(Formats.Wrap(row.Text, textWidth, " ,"))]
                : [row.Sequence, row.Published, Markup.Escape(row.Topic), Markup.Escape(row.Attributes), Markup.Escape(row.Text)]);
        }

        var shown = rows.Count;
        var total = await pipeline.Outbox.CountAsync(topicArn, ct);
        host.Render(table);
        host.MarkupLine($"{Formats.Count(total)} message(s){(topic is null ? "" : $" to {topic}")}; the latest {shown} shown.");
        return ExitCodes.Success;
    }

    /// <summary>Each message as its e-mail reads: a heading line, the subject, the text; control characters shown, never run.</summary>
    private static async Task WriteWholeAsync(CliHost host, IAsyncEnumerable<Ingestion.Storage.Local.Outbox.OutboxEntry> messages)
    {
        var first = true;
        await foreach (var message in messages)
        {
            if (!first)
            {
                await host.Out.WriteLineAsync();
            }

            first = false;
            await host.Out.WriteLineAsync($"#{Formats.Count(message.Sequence)} {Formats.NameOf(message.Topic)}, {Formats.Time(message.PublishedAt)}");
            if (message.Subject is { } subject)
            {
                await host.Out.WriteLineAsync($"Subject: {TerminalText.Visible(subject)}");
            }

            await host.Out.WriteLineAsync(TerminalText.VisibleLines(message.Message).TrimEnd('\n'));
        }
    }

    /// <summary>
    /// The ARN of a topic given by name (any case: <c>studentevents</c> is StudentEvents) or by ARN; false for a topic the
    /// pipeline does not publish to, which would otherwise list nothing and leave the user guessing.
    /// </summary>
    private static bool TryFindTopic(Ingestion.Local.Definitions.LocalResources resources, string topic, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? arn)
    {
        arn = new[] { resources.StudentEventsTopicArn, resources.AdminAlertsTopicArn }.FirstOrDefault(known =>
            string.Equals(known, topic, StringComparison.Ordinal) || string.Equals(Formats.NameOf(known), topic, StringComparison.OrdinalIgnoreCase));
        return arn is not null;
    }

    /// <summary><c>ChangeType=created</c> and <c>Department=Mathematics</c>, one a line.</summary>
    private static IEnumerable<string> Attributes(string? json)
    {
        if (json is null)
        {
            return [];
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return [.. document.RootElement.EnumerateObject().Select(a =>
                $"{a.Name}={(a.Value.ValueKind == JsonValueKind.Object && a.Value.TryGetProperty("StringValue", out var value) ? value.GetString() : a.Value.GetRawText())}")];
        }
        catch (JsonException)
        {
            return [json];
        }
    }
}
