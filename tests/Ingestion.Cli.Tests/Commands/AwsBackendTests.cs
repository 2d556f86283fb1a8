using System.Diagnostics;
using Amazon.Runtime;
using Amazon.S3.Model;
using Ingestion.Storage.Aws;
using Ingestion.Storage.Aws.DynamoDb;
using Ingestion.Storage.Aws.S3;
using Ingestion.Testing;

namespace Ingestion.Cli.Tests.Commands;

/// <summary>
/// <c>ingest run --store dynamodb --dynamodb-endpoint URL --objects s3 --s3-endpoint URL --bucket NAME</c>: the whole
/// local pipeline on DynamoDB and S3 APIs (dynalite and s3rver), as a user runs it (a process, credentials from the
/// environment), against the same runs on SQLite and folders.
/// </summary>
public sealed class AwsBackendTests(DynaliteServer dynalite, S3rverServer s3rver) : IClassFixture<DynaliteServer>, IClassFixture<S3rverServer>, IDisposable
{
    private readonly CliFixture _local = new();
    private readonly CliFixture _aws = new();
    private readonly string _studentsTable = Unique("students");
    private readonly string _filesTable = Unique("files");
    private readonly string _bucket = Unique("ingest");

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public void Dispose()
    {
        _local.Dispose();
        _aws.Dispose();
    }

    private string[] AwsOptions =>
        ["--store", "dynamodb", "--dynamodb-endpoint", dynalite.Url, "--objects", "s3", "--s3-endpoint", s3rver.Url, "--bucket", _bucket];

    private async Task CreateTablesAndBucketAsync()
    {
        using var dynamo = DynamoDbClients.Create(new AwsConnection(dynalite.Url) { Credentials = new BasicAWSCredentials(DynaliteServer.AccessKey, DynaliteServer.SecretKey) });
        await DynamoDbSchema.CreateTablesAsync(dynamo, _studentsTable, _filesTable);
        using var s3 = S3Clients.Create(new AwsConnection(s3rver.Url) { Credentials = new BasicAWSCredentials(S3rverServer.AccessKey, S3rverServer.SecretKey) });
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = _bucket });
    }

    /// <summary>Runs the built <c>ingest</c> with only the environment given here (no INGEST_* or AWS_* of the machine).</summary>
    private static async Task<CliResult> IngestAsync(CliFixture cli, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = cli.Root };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ingest.dll"));
        foreach (var arg in args.Concat(["--data-dir", cli.DataDir]))
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("INGEST_", StringComparison.Ordinal) || k.StartsWith("AWS_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return new CliResult(process.ExitCode, await output, await error);
    }

    private Dictionary<string, string> AwsEnvironment(string accessKey = S3rverServer.AccessKey) => new()
    {
        // s3rver checks the access key; dynalite takes any.
        ["AWS_ACCESS_KEY_ID"] = accessKey,
        ["AWS_SECRET_ACCESS_KEY"] = S3rverServer.SecretKey,
        ["STUDENTS_TABLE"] = _studentsTable,
        ["FILES_TABLE"] = _filesTable,
    };

    /// <summary>
    /// Each file's line of <c>--json</c>, without the fields that differ from run to run (the duration, and the report's
    /// key, which names the object version and its upload time), and a cause without what differs by store (the bucket,
    /// the object's version id).
    /// </summary>
    private static List<string> Counts(CliResult result) =>
        [.. result.JsonLines.Select(line => string.Join(",", line.EnumerateObject().Where(p => p.Name is not ("durationMs" or "report")).Select(p => $"{p.Name}={AlikeOnBothStores(p.Value.ToString())}")))];

    private static string AlikeOnBothStores(string text) =>
        System.Text.RegularExpressions.Regex.Replace(text, @"s3://[^/]+/(\S+) \(version [^)]*\)", "s3://BUCKET/$1");

    /// <summary>
    /// Completes once the clock is past the whole second <paramref name="previousRun"/> ended in, so the next upload's
    /// S3 LastModified (whole seconds) is later than the previous one's. Usually already true (the run on folders in
    /// between takes longer), so nothing waits; otherwise it waits for that boundary only. An ordering guard, not a
    /// timing assert.
    /// </summary>
    private static Task PastTheSecondOfAsync(DateTimeOffset? previousRun)
    {
        if (previousRun is not { } previous)
        {
            return Task.CompletedTask;
        }

        var boundary = new DateTimeOffset(previous.UtcTicks - (previous.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero).AddSeconds(1);
        var remaining = boundary - DateTimeOffset.UtcNow;
        return remaining > TimeSpan.Zero ? Task.Delay(remaining) : Task.CompletedTask;
    }

    [Fact]
    public async Task Run_on_dynalite_and_s3rver_counts_exactly_as_on_sqlite_and_folders()
    {
        await CreateTablesAndBucketAsync();
        // One file per run, each AWS run starting in a new second: S3 keeps LastModified to the second, so two files
        // uploaded within one second tie on SourceTime and are ordered by key, where the folder store (milliseconds)
        // would order them by time. Both orders are deterministic; this test compares like with like.
        string[] files = ["students-mixed.json", "students.json", "students-mixed.csv", "students-mixed.json", "students-mixed.jsonl", "unparseable.json"];

        DateTimeOffset? previousAwsRun = null;
        foreach (var file in files)
        {
            string[] args = ["run", CliFixture.TestData(file), "--json"];
            var onFolders = await IngestAsync(_local, new Dictionary<string, string>(), args);
            await PastTheSecondOfAsync(previousAwsRun);
            var onAws = await IngestAsync(_aws, AwsEnvironment(), [.. args, .. AwsOptions]);
            previousAwsRun = DateTimeOffset.UtcNow;

            Assert.True(onAws.Exit == onFolders.Exit, $"{file}: exit {onAws.Exit} on AWS APIs, {onFolders.Exit} on folders: {onAws.Error}");
            Assert.Equal(string.Join("\n", Counts(onFolders)), string.Join("\n", Counts(onAws)));
        }

        // Later runs found the earlier runs' students in DynamoDB: nothing created twice.
        using var dynamo = DynamoDbClients.Create(new AwsConnection(dynalite.Url) { Credentials = new BasicAWSCredentials(DynaliteServer.AccessKey, DynaliteServer.SecretKey) });
        var store = new DynamoDbStudentStore(dynamo, new DynamoDbStudentStoreOptions { TableName = _studentsTable });
        Assert.Equal(26, await store.ListAsync().CountAsync());
        using var s3 = S3Clients.Create(new AwsConnection(s3rver.Url) { Credentials = new BasicAWSCredentials(S3rverServer.AccessKey, S3rverServer.SecretKey) });
        var objects = new S3ObjectStore(s3);
        Assert.Equal(
            ["archive/students-mixed.csv", "archive/students-mixed.json", "archive/students-mixed.jsonl", "archive/students.json"],
            await objects.ListAsync(_bucket, "archive/").Select(o => o.Key).ToListAsync());
        Assert.Single(await objects.ListAsync(_bucket, "quarantine/").ToListAsync());

        // A report per upload, students-mixed.json's two included, each with its rejections CSV beside it.
        var reports = await objects.ListAsync(_bucket, "reports/").Select(o => o.Key).ToListAsync();
        var reportKeys = reports.Where(k => k.EndsWith(".report.json", StringComparison.Ordinal)).ToList();
        Assert.Equal(files.Length, reportKeys.Count);
        Assert.Equal(2, reportKeys.Count(k => k.StartsWith("reports/students-mixed.json/", StringComparison.Ordinal)));
        Assert.All(reportKeys, k => Assert.Contains(k[..^".report.json".Length] + ".rejections.csv", reports));
    }

    [Fact]
    public async Task A_missing_bucket_is_one_line_naming_it_and_exits_2()
    {
        var result = await IngestAsync(_aws, AwsEnvironment(), ["run", CliFixture.TestData("students.json"), .. AwsOptions]);

        Assert.Equal(2, result.Exit);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"ingest: S3 bucket '{_bucket}' at {s3rver.Url} does not exist", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejected_credentials_are_one_line_naming_the_variables()
    {
        await CreateTablesAndBucketAsync();

        var result = await IngestAsync(_aws, AwsEnvironment(accessKey: "WRONG"), ["run", CliFixture.TestData("students.json"), .. AwsOptions]);

        Assert.Equal(2, result.Exit);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("AWS_ACCESS_KEY_ID", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_endpoint_without_its_backend_is_a_usage_error()
    {
        var result = await _local.RunAsync("run", CliFixture.TestData("students.json"), "--dynamodb-endpoint", dynalite.Url);

        Assert.Equal(2, result.Exit);
        Assert.Equal("ingest: --dynamodb-endpoint needs --store dynamodb.", result.Error.Trim());
    }
}
