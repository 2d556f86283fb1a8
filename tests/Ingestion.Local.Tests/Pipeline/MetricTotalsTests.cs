using Ingestion.Local.Metrics;

namespace Ingestion.Local.Tests.Pipeline;

public sealed class MetricTotalsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("metrics-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Totals_add_single_values_and_arrays_and_skip_what_is_not_EMF()
    {
        var log = Path.Combine(_folder, "metrics.log");
        File.WriteAllLines(log,
        [
            """{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"N","Dimensions":[["Service"]],"Metrics":[{"Name":"A","Unit":"Count"},{"Name":"D","Unit":"Milliseconds"}]}]},"Service":"s","A":2,"D":[10,30]}""",
            """{"level":"INFO","message":"not a metric"}""",
            """{"_aws":{"Timestamp":2,"CloudWatchMetrics":[{"Namespace":"N","Dimensions":[[]],"Metrics":[{"Name":"A","Unit":"Count"}]}]},"A":3}""",
            """{"_aws":{"Timestamp":3,"CloudW""",
        ]);

        var totals = await MetricTotals.ReadAsync(log);

        Assert.Equal(
            [new MetricTotal("N", "A", "Count", 2, 5, 2, 3), new MetricTotal("N", "D", "Milliseconds", 2, 40, 10, 30)],
            totals);
        Assert.Equal(20, totals[1].Average);
    }

    [Fact]
    public async Task No_log_no_totals()
    {
        Assert.Empty(await MetricTotals.ReadAsync(Path.Combine(_folder, "missing.log")));
    }

    [Fact]
    public async Task Totals_include_the_rotated_files_still_kept()
    {
        var log = Path.Combine(_folder, "metrics.log");
        const string Document = """{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"N","Dimensions":[[]],"Metrics":[{"Name":"A","Unit":"Count"}]}]},"A":1}""";
        File.WriteAllLines(log + ".2", [Document]);
        File.WriteAllLines(log + ".1", [Document, Document]);
        File.WriteAllLines(log, [Document]);

        var totals = await MetricTotals.ReadAsync(log);

        Assert.Equal([new MetricTotal("N", "A", "Count", 4, 4, 1, 1)], totals);
    }
}
