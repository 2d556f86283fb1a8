using Ingestion.Local;
using Ingestion.Rehearsal.Tests.Support;

namespace Ingestion.Rehearsal.Tests;

/// <summary>The synthesized deployment, run here: the packaged bootstrap processes, the template's definition, tables and bucket.</summary>
[Collection(SynthesizedAppTests.Name)]
public sealed class RehearsalTests(SynthesizedApp app)
{
    [Fact]
    public async Task Rehearsal_ingests_a_file_with_the_same_counts_as_ingest_run_and_passes_its_checks()
    {
        var mixed = app.TestData("students-mixed.json");
        // The unreadable file is quarantined: it is what emits FilesQuarantined, which an alarm watches.
        var report = await DeploymentRehearsal.RunAsync(app.Options(app.Directory, mixed, app.TestData("unparseable.json")));

        var local = await IngestLocallyAsync(mixed);
        var rehearsed = report.Files[0];
        Assert.Equal("Succeeded", rehearsed.ExecutionStatus);
        Assert.Equal(local.Counts, rehearsed.Counts);
        Assert.NotNull(rehearsed.ReportKey);
        Assert.Equal("FileQuarantined", report.Files[1].Error);
        // Metrics the dashboard and alarms read are all emitted with their dimension sets (StaleFiles comes from
        // NightlySync, which the rehearsal does not run); no log line carries a name or an e-mail address.
        Assert.All(report.Problems, p => Assert.Contains("StaleFiles", p, StringComparison.Ordinal));
        Assert.Equal(4, report.Functions.Count);
        Assert.All(report.Functions, f => Assert.NotNull(f.FirstInvocationDuration));
    }

    [Fact]
    public async Task Rehearsal_fails_when_the_package_has_no_bootstrap()
    {
        var broken = app.CopyWith(_ => { }, copy =>
        {
            foreach (var bootstrap in Directory.GetFiles(copy, "bootstrap", SearchOption.AllDirectories))
            {
                File.Delete(bootstrap);
            }
        });

        var error = await Assert.ThrowsAsync<RehearsalException>(() => DeploymentRehearsal.RunAsync(app.Options(broken)));

        Assert.Contains("has no 'bootstrap'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rehearsal_fails_when_a_handler_setting_names_no_function_of_the_bootstrap()
    {
        var broken = app.CopyWith(template => Function(template, "ValidateStudents")["Handler"] = "ValidateStudent");

        var error = await Assert.ThrowsAsync<RehearsalException>(() => DeploymentRehearsal.RunAsync(app.Options(broken)));

        Assert.Contains("Runtime.HandlerNotFound", error.Message, StringComparison.Ordinal);
        Assert.Contains("ValidateStudent'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rehearsal_reports_a_failed_run_when_the_template_leaves_out_a_variable_the_code_reads()
    {
        // Without FILES_TABLE, RegisterFile falls back to a table name the stack does not have.
        var broken = app.CopyWith(template => ((System.Text.Json.Nodes.JsonObject)Function(template, "RegisterFile")["Environment"]!["Variables"]!).Remove("FILES_TABLE"));

        var report = await DeploymentRehearsal.RunAsync(app.Options(broken, app.TestData("students.json")));

        Assert.Equal("Failed", report.Files[0].ExecutionStatus);
        Assert.Contains(report.Problems, p => p.Contains("StorageResourceMissingException", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rehearsal_fails_when_a_definition_substitution_is_missing()
    {
        var broken = app.CopyWith(template =>
        {
            foreach (var machine in OfType(template, "AWS::StepFunctions::StateMachine"))
            {
                ((System.Text.Json.Nodes.JsonObject)machine["Properties"]!["DefinitionSubstitutions"]!).Remove("StoreStudentsFunctionArn");
            }
        });

        var error = await Assert.ThrowsAsync<Template.TemplateException>(() => DeploymentRehearsal.RunAsync(app.Options(broken)));

        Assert.Contains("${StoreStudentsFunctionArn}", error.Message, StringComparison.Ordinal);
    }

    private static async Task<FileRunResult> IngestLocallyAsync(string file)
    {
        var data = Path.Combine(Path.GetTempPath(), "rehearsal-local-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var pipeline = LocalPipeline.Open(LocalPipelineOptions.ForDataDirectory(data));
            return await pipeline.IngestFileAsync(file);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    private static System.Text.Json.Nodes.JsonObject Function(System.Text.Json.Nodes.JsonObject template, string handlerName) =>
        OfType(template, "AWS::Lambda::Function").Single(f => f["Properties"]!["Handler"]!.GetValue<string>() == handlerName)["Properties"]!.AsObject();

    private static IEnumerable<System.Text.Json.Nodes.JsonObject> OfType(System.Text.Json.Nodes.JsonObject template, string type) =>
        template["Resources"]!.AsObject().Select(r => r.Value!.AsObject()).Where(r => r["Type"]!.GetValue<string>() == type);
}
