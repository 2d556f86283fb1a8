using Ingestion.Functions.Reports;

namespace Ingestion.Functions.Tests.Reports;

public sealed class ReportKeysTests
{
    private static readonly DateTimeOffset Uploaded = new(2026, 11, 24, 2, 0, 0, 123, TimeSpan.Zero);

    [Fact]
    public void Each_version_of_a_name_has_its_own_report_in_upload_order()
    {
        var first = ReportKeys.Report("students.csv", Uploaded, "v1", "exec-1");
        var second = ReportKeys.Report("students.csv", Uploaded.AddSeconds(1), "v0", "exec-2");

        Assert.Equal("reports/students.csv/20261124T020000123Z-v1.report.json", first);
        Assert.True(string.CompareOrdinal(first, second) < 0, "a listing of reports/<name>/ is in upload order");
        Assert.Equal("reports/students.csv/20261124T020000123Z-v1.rejections.csv", ReportKeys.Rejections(first));
    }

    [Fact]
    public void A_version_id_that_is_not_a_safe_key_segment_is_hashed()
    {
        var key = ReportKeys.Report("s.json", Uploaded, "a/b+c", "exec-1");

        Assert.Matches("^reports/s.json/20261124T020000123Z-h[0-9a-f]{32}\\.report\\.json$", key);
        Assert.NotEqual(key, ReportKeys.Report("s.json", Uploaded, "a/b+d", "exec-1"));
    }

    [Fact]
    public void A_name_too_long_for_a_key_falls_back_to_the_execution_name()
    {
        Assert.Equal("reports/exec-1.report.json", ReportKeys.Report(new string('x', 1020), Uploaded, "v1", "exec-1"));
    }
}
