using Ingestion.Tools.Cost;

namespace Ingestion.Tools.Tests.Cost;

public sealed class HandlerMeasurementTests
{
    [Fact]
    public async Task Measuring_the_handlers_gives_their_time_and_log_volume_per_batch()
    {
        var profile = await HandlerMeasurement.MeasureAsync(250);

        Assert.Equal(250, profile.BatchSize);
        Assert.True(profile.ValidateMicrosPerStudent > 0);
        Assert.True(profile.StoreMicrosPerStudent > 0);
        // A warm invocation logs one line; StoreStudents also writes its EMF document.
        Assert.InRange(profile.ValidateLogBytes, 100, 2_000);
        Assert.True(profile.StoreLogBytes > profile.ValidateLogBytes);
    }

    [Fact]
    public async Task The_recorded_log_volumes_are_what_the_handlers_write_today()
    {
        // Timings depend on the machine and the build; what the handlers log does not. Should the handlers log more
        // or less, the recorded figures (and the README's example) need measuring again: ingest cost --measure.
        var profile = await HandlerMeasurement.MeasureAsync(250);
        var recorded = CostAssumptions.MeasuredHandlers;

        Assert.InRange(profile.ValidateLogBytes, recorded.ValidateLogBytes * 0.8, recorded.ValidateLogBytes * 1.2);
        Assert.InRange(profile.StoreLogBytes, recorded.StoreLogBytes * 0.8, recorded.StoreLogBytes * 1.2);
        Assert.Equal(recorded.BatchSize, DeployedShape.FromDefinition().BatchSize);
    }
}
