using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Ingestion.Cli.Output;
using Ingestion.Tools.Cost;
using Spectre.Console;

namespace Ingestion.Cli.Commands;

/// <summary><c>ingest cost --students N</c>: what one run would cost on AWS, next to a naive design.</summary>
internal static class CostCommand
{
    public static Command Create(CliHost host)
    {
        var students = new Option<long>("--students") { Description = "Records in the file.", Required = true, HelpName = "N" };
        var changed = new Option<double?>("--changed-fraction")
        {
            Description = "Price a nightly re-run of the same export in which this share of the valid students changed (default: a first load).",
            HelpName = "F",
        };
        var invalid = new Option<double>("--invalid-fraction")
        {
            Description = "Share of the records rejected by validation.",
            DefaultValueFactory = _ => CostScenario.DefaultInvalidFraction,
            HelpName = "F",
        };
        var measure = new Option<bool>("--measure") { Description = "Time ValidateStudents and StoreStudents on this machine first, instead of the recorded figures." };
        var validateMs = new Option<double?>("--validate-ms") { Description = "ValidateStudents' duration per batch measured on AWS (replaces the model's).", HelpName = "MS" };
        var storeMs = new Option<double?>("--store-ms") { Description = "StoreStudents' duration per batch measured on AWS (replaces the model's).", HelpName = "MS" };
        var dynamoMs = new Option<double?>("--dynamodb-ms") { Description = $"One DynamoDB request's round trip from Lambda (default {CostAssumptions.Default.DynamoDbRequestMs:0.#}).", HelpName = "MS" };
        var json = CommandContext.Json("Print one JSON object: the scenario, the durations and their source, every line (unit price, quantity and cost for each design) and the totals.");
        var command = new DocumentedCommand("cost", "Estimate the AWS bill of one run from the deployed shape, next to a naive design.", $"""
            Count what one run of a file of N students bills on AWS, with the deployed shape read from the IngestFile
            definition (batch size, EXPRESS children, states, Lambda invocations, the PublishBatch partition) and the
            Lambda memory the CDK app deploys (arm64), and price it with the {ListPrices.Region} list prices read on
            {ListPrices.ReadOn:yyyy-MM-dd}. Next to it, the naive design: one STANDARD child per student, three Lambda
            invocations (validate, store, notify), one PutItem and one Publish per student.

            Without --changed-fraction the run is a first load: every valid student is created, written and
            announced. With it, a nightly re-run of the same export: that share of the valid students is updated,
            the rest is unchanged (read, not written, not announced; the naive design rewrites and announces all).

            Durations: the handlers' own time per student was measured in-process (--measure measures it again here)
            and is scaled by each function's share of a vCPU; DynamoDB and SNS round trips are assumed ({CostAssumptions.Default.DynamoDbRequestMs:0.#} and {CostAssumptions.Default.SnsRequestMs:0.#} ms).
            Lambda on AWS is not this machine and DynamoDB's latency varies: pass --validate-ms and --store-ms with
            the durations CloudWatch reports for a deployed run to price those instead.

            Not counted: free tiers, data transfer, storage (S3, DynamoDB, logs), SNS deliveries to subscribers,
            X-Ray traces, and what is billed by the month (dashboard, alarms, custom metrics). The README's "Cost on
            AWS" says how each line is counted.

            Exit code: 0, or 2 on a usage error.

            Example:
              ingest cost --students 1000000
              ingest cost --students 1000000 --changed-fraction 0.01
              ingest cost --students 200000 --measure --json
            """)
        {
            students, changed, invalid, measure, validateMs, storeMs, dynamoMs, json,
        };
        command.SetAction((parse, stop) => RunAsync(
            host,
            new CostScenario(parse.GetValue(students), parse.GetValue(changed), parse.GetValue(invalid)),
            parse.GetValue(measure),
            parse.GetValue(validateMs),
            parse.GetValue(storeMs),
            parse.GetValue(dynamoMs),
            parse.GetValue(json),
            stop));
        return command;
    }

    private static async Task<int> RunAsync(
        CliHost host, CostScenario scenario, bool measure, double? validateMs, double? storeMs, double? dynamoMs, bool json, CancellationToken stop)
    {
        var problem = scenario.Problem()
            ?? (validateMs is <= 0 ? "--validate-ms must be above 0." : null)
            ?? (storeMs is <= 0 ? "--store-ms must be above 0." : null)
            ?? (dynamoMs is < 0 ? "--dynamodb-ms must not be negative." : null);
        if (problem is not null)
        {
            await host.Error.WriteLineAsync($"ingest cost: {problem}");
            return ExitCodes.Usage;
        }

        var shape = DeployedShape.FromDefinition();
        var assumptions = CostAssumptions.Default;
        if (measure)
        {
            await host.Error.WriteLineAsync($"Timing ValidateStudents and StoreStudents on batches of {shape.BatchSize} synthetic students…");
            assumptions = assumptions with
            {
                Handlers = await HandlerMeasurement.MeasureAsync(shape.BatchSize, stop),
                HandlersSource = $"handler times measured in-process on this machine just now ({Environment.ProcessorCount} cores), scaled by each function's share of a vCPU",
            };
        }

        assumptions = assumptions with
        {
            ValidateMsOverride = validateMs,
            StoreMsOverride = storeMs,
            DynamoDbRequestMs = dynamoMs ?? assumptions.DynamoDbRequestMs,
        };
        var estimate = CostModel.Estimate(scenario, shape, assumptions);
        if (json)
        {
            JsonLines.Write(host.Out, writer => WriteJson(writer, estimate));
        }
        else
        {
            Print(host, estimate);
        }

        return ExitCodes.Success;
    }

    private static void Print(CliHost host, CostEstimate estimate)
    {
        var s = estimate.Scenario;
        var shape = estimate.Shape;
        // Sentences as lines a terminal can wrap between words (a pipe gets each on one line).
        host.MarkupLine($"{$"ingest cost: one run of {Formats.Count(s.Students)} students, {Scenario(s)}, on AWS {ListPrices.Region} (list prices read {ListPrices.ReadOn:yyyy-MM-dd})."}");
        host.MarkupLine($"{$"Ours: {Formats.Count(estimate.Batches)} batches of {shape.BatchSize} as {(shape.ExpressChildren ? "EXPRESS" : "STANDARD")} children. Naive: {Formats.Count(s.Students)} STANDARD children, one per student."}");

        // Under 120 columns the quantities go (--json has them): each line's price and the two costs keep their width.
        var narrow = host.OutIsNarrow;
        var table = new Table();
        table.AddColumn(new TableColumn("Line"));
        table.AddColumn(new TableColumn("Unit price").RightAligned());
        if (!narrow)
        {
            table.AddColumn(new TableColumn("Ours: quantity").RightAligned());
        }

        table.AddColumn(new TableColumn("Ours: cost").RightAligned().NoWrap());
        if (!narrow)
        {
            table.AddColumn(new TableColumn("Naive: quantity").RightAligned());
        }

        table.AddColumn(new TableColumn("Naive: cost").RightAligned().NoWrap());
        string[] Row(string item, string price, string oursQuantity, string oursCost, string naiveQuantity, string naiveCost) =>
            narrow ? [item, price, oursCost, naiveCost] : [item, price, oursQuantity, oursCost, naiveQuantity, naiveCost];
        foreach (var line in estimate.Lines)
        {
            table.AddRow(Row(
                Markup.Escape(line.Price.Item),
                Markup.Escape(UnitPrice(line.Price)),
                Markup.Escape(Quantity(line.Ours, line.Price.Unit)),
                Dollars(line.OursCost),
                Markup.Escape(Quantity(line.Naive, line.Price.Unit)),
                Dollars(line.NaiveCost)));
        }

        table.AddEmptyRow();
        table.AddRow(Row("[bold]Total[/]", "", "", $"[bold]{Dollars(estimate.OursTotal)}[/]", "", $"[bold]{Dollars(estimate.NaiveTotal)}[/]"));
        table.AddRow(Row("Per 1,000 students", "", "", Dollars(estimate.Per(estimate.OursTotal, 1_000)), "", Dollars(estimate.Per(estimate.NaiveTotal, 1_000))));
        table.AddRow(Row("Per 1,000,000 students", "", "", Dollars(estimate.Per(estimate.OursTotal, 1_000_000)), "", Dollars(estimate.Per(estimate.NaiveTotal, 1_000_000))));
        host.Render(table);
        host.MarkupLine($"{$"Naive / ours: {Ratio(estimate.Ratio)}."}{(narrow ? " Quantities: ingest cost --json (or a terminal of 120 columns)." : "")}");
        host.Out.WriteLine();

        var counted = new Table().AddColumns(new TableColumn("Line"), new TableColumn("Ours: counted as"), new TableColumn("Naive: counted as"));
        foreach (var line in estimate.Lines)
        {
            counted.AddRow(Markup.Escape(line.Price.Item), Markup.Escape(line.OursBasis), Markup.Escape(line.NaiveBasis));
        }

        host.Render(counted);
        var a = estimate.Assumptions;
        var d = estimate.Durations;
        var durations =
            $"Durations billed per invocation: ValidateStudents {d.Validate:0} ms, StoreStudents {d.Store:0} ms, one EXPRESS child {d.ChildBilled:0} ms; "
            + $"naive {d.NaiveValidate:0} / {d.NaiveStore:0} / {d.NaiveNotify:0} ms. "
            + (a.ValidateMsOverride is not null || a.StoreMsOverride is not null ? "Given on the command line where set; otherwise " : "From ")
            + $"{a.HandlersSource}, plus DynamoDB round trips of {a.DynamoDbRequestMs:0.#} ms and SNS ones of {a.SnsRequestMs:0.#} ms (assumed): "
            + "DynamoDB's latency on AWS differs, so pass --validate-ms and --store-ms from a deployed run's REPORT lines for a firmer figure.";
        host.MarkupLine($"{durations}");
        host.MarkupLine($"Not counted: free tiers, data transfer, storage, SNS deliveries to subscribers, X-Ray, and monthly costs (dashboard, alarms, custom metrics).");
    }

    private static void WriteJson(Utf8JsonWriter writer, CostEstimate estimate)
    {
        var s = estimate.Scenario;
        var shape = estimate.Shape;
        var a = estimate.Assumptions;
        var d = estimate.Durations;
        writer.WriteStartObject();
        writer.WriteString("region", ListPrices.Region);
        writer.WriteString("pricesReadOn", ListPrices.ReadOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        writer.WriteStartObject("scenario");
        writer.WriteString("kind", s.IsRerun ? "rerun" : "first-load");
        writer.WriteNumber("students", s.Students);
        if (s.ChangedFraction is { } fraction)
        {
            writer.WriteNumber("changedFraction", fraction);
        }
        else
        {
            writer.WriteNull("changedFraction");
        }

        writer.WriteNumber("invalidFraction", s.InvalidFraction);
        writer.WriteNumber("rejected", s.Rejected);
        writer.WriteNumber("created", s.Created);
        writer.WriteNumber("updated", s.Updated);
        writer.WriteNumber("unchanged", s.Unchanged);
        writer.WriteEndObject();
        writer.WriteStartObject("shape");
        writer.WriteNumber("batchSize", shape.BatchSize);
        writer.WriteNumber("batches", estimate.Batches);
        writer.WriteBoolean("expressChildren", shape.ExpressChildren);
        writer.WriteNumber("maxConcurrency", shape.MaxConcurrency);
        writer.WriteNumber("parentStates", shape.ParentStates);
        writer.WriteNumber("childLambdaInvokes", shape.ChildLambdaInvokes);
        writer.WriteNumber("publishBatchSize", shape.PublishBatchSize);
        writer.WriteEndObject();
        writer.WriteStartObject("durationsMs");
        writer.WriteNumber("validateStudents", d.Validate);
        writer.WriteNumber("storeStudents", d.Store);
        writer.WriteNumber("expressChildBilled", d.ChildBilled);
        writer.WriteNumber("naiveValidate", d.NaiveValidate);
        writer.WriteNumber("naiveStore", d.NaiveStore);
        writer.WriteNumber("naiveNotify", d.NaiveNotify);
        writer.WriteString("source", a.HandlersSource);
        writer.WriteNumber("dynamoDbRequestMs", a.DynamoDbRequestMs);
        writer.WriteNumber("snsRequestMs", a.SnsRequestMs);
        writer.WriteBoolean("validateGiven", a.ValidateMsOverride is not null);
        writer.WriteBoolean("storeGiven", a.StoreMsOverride is not null);
        writer.WriteEndObject();
        writer.WriteStartObject("handlers");
        writer.WriteNumber("validateMicrosPerStudent", Math.Round(a.Handlers.ValidateMicrosPerStudent, 2));
        writer.WriteNumber("storeMicrosPerStudent", Math.Round(a.Handlers.StoreMicrosPerStudent, 2));
        writer.WriteNumber("validateLogBytes", a.Handlers.ValidateLogBytes);
        writer.WriteNumber("storeLogBytes", a.Handlers.StoreLogBytes);
        writer.WriteNumber("batchSize", a.Handlers.BatchSize);
        writer.WriteEndObject();
        writer.WriteStartArray("lines");
        foreach (var line in estimate.Lines)
        {
            writer.WriteStartObject();
            writer.WriteString("key", line.Price.Key);
            writer.WriteString("item", line.Price.Item);
            writer.WriteString("unit", line.Price.Unit);
            writer.WriteNumber("unitPrice", line.Price.PerUnit);
            writer.WriteString("source", line.Price.Source);
            WriteDesign(writer, "ours", line.Ours, line.OursCost, line.OursBasis);
            WriteDesign(writer, "naive", line.Naive, line.NaiveCost, line.NaiveBasis);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartObject("totals");
        writer.WriteNumber("ours", estimate.OursTotal);
        writer.WriteNumber("naive", estimate.NaiveTotal);
        writer.WriteNumber("oursPerThousandStudents", estimate.Per(estimate.OursTotal, 1_000));
        writer.WriteNumber("naivePerThousandStudents", estimate.Per(estimate.NaiveTotal, 1_000));
        writer.WriteNumber("oursPerMillionStudents", estimate.Per(estimate.OursTotal, 1_000_000));
        writer.WriteNumber("naivePerMillionStudents", estimate.Per(estimate.NaiveTotal, 1_000_000));
        writer.WriteNumber("ratio", estimate.Ratio);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteDesign(Utf8JsonWriter writer, string design, double quantity, double cost, string basis)
    {
        writer.WriteStartObject(design);
        writer.WriteNumber("quantity", quantity);
        writer.WriteNumber("cost", cost);
        writer.WriteString("basis", basis);
        writer.WriteEndObject();
    }

    private static string Scenario(CostScenario s) => s.IsRerun
        ? $"nightly re-run ({Formats.Count(s.Updated)} updated, {Formats.Count(s.Unchanged)} unchanged, {Formats.Count(s.Rejected)} rejected)"
        : $"first load ({Formats.Count(s.Created)} created, {Formats.Count(s.Rejected)} rejected)";

    /// <summary>A price as the pages quote it: per 1,000 transitions, per 1M requests, per GB-second.</summary>
    private static string UnitPrice(ListPrice price) => price.QuotedPer switch
    {
        1 => $"${price.Quoted.ToString("0.00##########", CultureInfo.InvariantCulture)}/{price.Unit}",
        1_000_000 => $"${price.Quoted.ToString("0.00##", CultureInfo.InvariantCulture)}/1M {Plural(price.Unit, 2)}",
        _ => $"${price.Quoted.ToString("0.00##", CultureInfo.InvariantCulture)}/{Formats.Count(price.QuotedPer)} {Plural(price.Unit, 2)}",
    };

    private static string Quantity(double value, string unit) => value == 0 ? "-"
        : Math.Abs(value % 1) < 1e-9 ? $"{Formats.Count((long)value)} {Plural(unit, value)}"
        : value >= 100 ? $"{value.ToString("N0", CultureInfo.InvariantCulture)} {unit}"
        : $"{value.ToString("0.####", CultureInfo.InvariantCulture)} {unit}";

    private static string Plural(string unit, double value) => value == 1 || unit is "GB-s" or "GB" or "WRU" or "RRU" ? unit : unit + "s";

    private static string Dollars(double value) => value switch
    {
        0 => "$0",
        < 0.0001 => "<$0.0001",
        < 0.01 => "$" + value.ToString("0.0000", CultureInfo.InvariantCulture),
        _ => "$" + value.ToString("N2", CultureInfo.InvariantCulture),
    };

    private static string Ratio(double ratio) => double.IsInfinity(ratio) ? "n/a" : ratio.ToString("0.0", CultureInfo.InvariantCulture) + "x";
}
