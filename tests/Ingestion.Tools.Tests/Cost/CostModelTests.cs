using Ingestion.Local.Definitions;
using Ingestion.Tools.Cost;
using Ingestion.Tools.Synthetic;

namespace Ingestion.Tools.Tests.Cost;

public sealed class CostModelTests
{
    private static readonly DeployedShape Shape = DeployedShape.FromDefinition();

    private static CostEstimate Estimate(long students, double? changed = null, DeployedShape? shape = null, CostAssumptions? assumptions = null) =>
        CostModel.Estimate(new CostScenario(students, changed), shape ?? Shape, assumptions ?? CostAssumptions.Default);

    private static CostLine Line(CostEstimate estimate, ListPrice price) => estimate.Lines.Single(l => l.Price == price);

    [Theory]
    [InlineData(1, 1)]
    [InlineData(80, 1)]
    [InlineData(81, 2)]
    [InlineData(1_000_000, 12_500)]
    [InlineData(1_000_001, 12_501)]
    public void Express_executions_are_two_per_batch_of_MaxItemsPerBatch(long students, long batches)
    {
        var estimate = Estimate(students);

        // The map's child, and the ProcessBatch execution it runs.
        Assert.Equal(batches, estimate.Batches);
        Assert.Equal(2 * batches, Line(estimate, ListPrices.ExpressRequest).Ours);
        Assert.Equal(Shape.ParentStates + batches, Line(estimate, ListPrices.StandardTransition).Ours);
        Assert.Equal(2 * batches + 2, Line(estimate, ListPrices.LambdaRequest).Ours);
    }

    [Theory]
    [InlineData(ExportFormat.Json)]
    [InlineData(ExportFormat.JsonLines)]
    [InlineData(ExportFormat.Csv)]
    public void The_shape_is_what_the_definition_says_for_every_format(ExportFormat format)
    {
        var shape = DeployedShape.FromDefinition(format);

        Assert.Equal(80, shape.BatchSize);
        Assert.True(shape.ExpressChildren);
        Assert.Equal(50, shape.MaxConcurrency);
        // RegisterFile, CheckRegistration, ChooseReader, the map, FindFailedBatches, AnyFailedBatches, SummarizeRun,
        // NotifyAdmins, CheckOutcome, Done.
        Assert.Equal(10, shape.ParentStates);
        Assert.Equal(1, shape.ParentObjectGets);
        Assert.Equal(2, shape.ExecutionsPerBatch);
        Assert.Equal(2, shape.ParentLambdaInvokes);
        Assert.Equal(1, shape.ParentPublishes);
        Assert.Equal(1, shape.ItemReaderGets);
        Assert.Equal(2, shape.ResultWriterPuts);
        // The child's ProcessBatch, CheckBatch, BatchDone; ProcessBatch's ValidateStudents, StoreStudents, NotifyStudents, BatchDone.
        Assert.Equal(7, shape.ChildStates);
        Assert.Equal(2, shape.ChildLambdaInvokes);
        Assert.Equal(10, shape.PublishBatchSize);
        Assert.Equal(10, shape.PublishConcurrency);
    }

    [Fact]
    public void A_definition_with_another_batch_size_changes_the_express_request_count()
    {
        var shape = DeployedShape.FromDefinition(Definition().Replace("\"MaxItemsPerBatch\": 80", "\"MaxItemsPerBatch\": 40", StringComparison.Ordinal));

        var estimate = Estimate(1_000_000, shape: shape);

        Assert.Equal(40, shape.BatchSize);
        Assert.Equal(50_000, Line(estimate, ListPrices.ExpressRequest).Ours);
        Assert.True(estimate.OursTotal > Estimate(1_000_000).OursTotal);
    }

    [Fact]
    public void A_smaller_PublishBatch_partition_in_the_definition_means_more_SNS_requests()
    {
        var shape = DeployedShape.FromDefinition(Definition(), processBatch: DefinitionFiles.ReadRaw(DefinitionFiles.ProcessBatch)
            .Replace("States.ArrayPartition($.Payload.notifications, 10)", "States.ArrayPartition($.Payload.notifications, 5)", StringComparison.Ordinal));

        Assert.Equal(5, shape.PublishBatchSize);
        Assert.True(Line(Estimate(1_000_000, shape: shape), ListPrices.SnsRequest).Ours > Line(Estimate(1_000_000), ListPrices.SnsRequest).Ours);
    }

    [Fact]
    public void Standard_children_are_billed_transitions_not_express_requests()
    {
        var shape = DeployedShape.FromDefinition(Definition().Replace("\"ExecutionType\": \"EXPRESS\"", "\"ExecutionType\": \"STANDARD\"", StringComparison.Ordinal));

        var estimate = Estimate(10_000, shape: shape);

        Assert.False(shape.ExpressChildren);
        Assert.Equal(0, Line(estimate, ListPrices.ExpressRequest).Ours);
        Assert.Equal(shape.ParentStates + 125 + 125 * shape.ChildStates, Line(estimate, ListPrices.StandardTransition).Ours);
    }

    [Fact]
    public void A_definition_without_the_map_is_refused_with_its_name()
    {
        var error = Assert.Throws<InvalidDataException>(() => DeployedShape.FromDefinition(Definition().Replace("\"ProcessStudentsJson\"", "\"ProcessAll\"", StringComparison.Ordinal)));

        Assert.Contains("ProcessStudentsJson", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_first_load_writes_every_valid_student_and_its_index_entry_and_reads_each_once()
    {
        var estimate = Estimate(1_000_000);

        Assert.Equal(980_000, estimate.Scenario.Created);
        // One WRU for the item and one for the Department index, plus the ledger's two writes (item and two indexes, 2 KB each).
        Assert.Equal(980_000 * 2 + 2 * 2 * 3, Line(estimate, ListPrices.DynamoDbWrite).Ours);
        // Plus the ledger's three reads: RegisterFile's entry and key history, SummarizeRun's entry.
        Assert.Equal(980_000 + 3, Line(estimate, ListPrices.DynamoDbRead).Ours);
    }

    [Fact]
    public void A_rerun_that_changed_one_percent_writes_and_publishes_far_less_than_a_first_load()
    {
        var first = Estimate(1_000_000);
        var rerun = Estimate(1_000_000, changed: 0.01);

        Assert.Equal(9_800, rerun.Scenario.Updated);
        Assert.Equal(970_200, rerun.Scenario.Unchanged);
        Assert.True(Line(rerun, ListPrices.DynamoDbWrite).Ours * 10 < Line(first, ListPrices.DynamoDbWrite).Ours);
        // A PublishBatch call for each batch with a change: with batches of 80, most batches of a 1 % re-run have one.
        Assert.True(Line(rerun, ListPrices.SnsRequest).Ours * 5 < Line(first, ListPrices.SnsRequest).Ours);
        // Unchanged students still cost their read.
        Assert.Equal(Line(first, ListPrices.DynamoDbRead).Ours, Line(rerun, ListPrices.DynamoDbRead).Ours);
        Assert.True(rerun.OursTotal < first.OursTotal);
    }

    [Fact]
    public void A_rerun_where_nothing_changed_writes_only_the_ledger_and_publishes_only_the_summary()
    {
        var estimate = Estimate(100_000, changed: 0);

        Assert.Equal(2 * 2 * 3, Line(estimate, ListPrices.DynamoDbWrite).Ours);
        Assert.Equal(1, Line(estimate, ListPrices.SnsRequest).Ours);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0.01)]
    [InlineData(1.0)]
    public void The_naive_design_costs_more_for_a_million_students(double? changed)
    {
        var estimate = Estimate(1_000_000, changed);

        Assert.True(estimate.NaiveTotal > estimate.OursTotal);
        Assert.True(estimate.Ratio > 10);
        // The naive design rewrites and announces every valid student whatever changed.
        Assert.Equal(980_001, Line(estimate, ListPrices.SnsRequest).Naive);
        Assert.Equal(Shape.ParentStates + 1_000_000 + 3_000_000, Line(estimate, ListPrices.StandardTransition).Naive);
    }

    [Fact]
    public void Totals_scale_per_thousand_and_every_price_has_its_line()
    {
        var estimate = Estimate(400_000, changed: 0.05);

        Assert.Equal(estimate.OursTotal / 400, estimate.Per(estimate.OursTotal, 1_000), 12);
        Assert.Equal(ListPrices.All, estimate.Lines.Select(l => l.Price));
    }

    [Fact]
    public void Given_durations_replace_the_modelled_ones_in_the_lambda_and_express_lines()
    {
        var modelled = Estimate(100_000);
        var given = Estimate(100_000, assumptions: CostAssumptions.Default with { ValidateMsOverride = 40, StoreMsOverride = 400 });

        Assert.Equal(40, given.Durations.Validate);
        Assert.Equal(400, given.Durations.Store);
        Assert.True(given.Durations.ChildBilled >= 500);
        Assert.True(Line(given, ListPrices.LambdaArmDuration).Ours > Line(modelled, ListPrices.LambdaArmDuration).Ours);
        // 1,250 batches x (40 ms x 0.5 GB + 400 ms x 1 GB) = 525 GB-s, plus the cold starts and the parent.
        Assert.InRange(Line(given, ListPrices.LambdaArmDuration).Ours, 525, 525 + 60);
    }

    [Fact]
    public void Slower_dynamodb_round_trips_make_store_students_longer()
    {
        var slow = Estimate(100_000, assumptions: CostAssumptions.Default with { DynamoDbRequestMs = 20 });

        Assert.True(slow.Durations.Store > Estimate(100_000).Durations.Store * 3);
    }

    [Theory]
    [InlineData(0, null, 0.02, "--students")]
    [InlineData(-5, null, 0.02, "--students")]
    [InlineData(10, 1.5, 0.02, "--changed-fraction")]
    [InlineData(10, -0.1, 0.02, "--changed-fraction")]
    [InlineData(10, null, 2.0, "--invalid-fraction")]
    public void A_scenario_that_cannot_be_priced_says_which_option_is_wrong(long students, double? changed, double invalid, string option)
    {
        var scenario = new CostScenario(students, changed, invalid);

        Assert.Contains(option, scenario.Problem(), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => CostModel.Estimate(scenario, Shape, CostAssumptions.Default));
    }

    [Fact]
    public void A_typical_student_item_is_one_write_unit_and_one_read_unit()
    {
        Assert.InRange(CostAssumptions.StudentItemBytes, 300, 1024);
        Assert.Equal(1, CostAssumptions.WriteUnits(CostAssumptions.StudentItemBytes));
        Assert.Equal(1, CostAssumptions.ReadUnits(CostAssumptions.StudentItemBytes));
        Assert.Equal(2, CostAssumptions.WriteUnits(1025));
        Assert.Equal(1, CostAssumptions.ReadUnits(0));
        Assert.Equal(2, CostAssumptions.ReadUnits(4097));
        Assert.Equal(5 + 3 + 1 + 4, CostAssumptions.ItemBytes(("Email", "a@b"), ("N", "12345")));
    }

    [Fact]
    public void A_function_below_1769_MB_runs_CPU_bound_code_slower_in_proportion()
    {
        Assert.Equal(1769 / 512.0, DeployedFunctions.ValidateStudents.CpuSlowdown, 9);
        Assert.Equal(1.0, new LambdaFunction("Big", 4096).CpuSlowdown);
        Assert.Equal(0.5, DeployedFunctions.ValidateStudents.MemoryGb);
    }

    [Fact]
    public void Every_price_is_positive_and_names_its_source()
    {
        Assert.All(ListPrices.All, p =>
        {
            Assert.True(p.PerUnit > 0, p.Key);
            Assert.False(string.IsNullOrWhiteSpace(p.Source), p.Key);
        });
        Assert.Equal(ListPrices.All.Count, ListPrices.All.Select(p => p.Key).Distinct().Count());
        Assert.Equal(0.025, ListPrices.StandardTransition.Quoted, 12);
        Assert.Equal(0.625, ListPrices.DynamoDbWrite.Quoted, 12);
    }

    private static string Definition() => DefinitionFiles.ReadRaw(DefinitionFiles.IngestFile);
}
