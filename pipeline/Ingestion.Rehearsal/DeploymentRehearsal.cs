using System.Runtime.InteropServices;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Ingestion.Domain.Storage;
using Ingestion.Domain.Students;
using Ingestion.Functions.Telemetry;
using Ingestion.Local.Events;
using Ingestion.Local.Integrations;
using Ingestion.Local.States;
using Ingestion.Rehearsal.Lambda;
using Ingestion.Rehearsal.Services;
using Ingestion.Rehearsal.Template;
using Ingestion.States;
using Ingestion.States.Json;
using Ingestion.Storage.Aws;
using Ingestion.Storage.Aws.S3;
using Ingestion.Storage.Local.Outbox;

namespace Ingestion.Rehearsal;

/// <summary>
/// <c>ingest rehearse</c>: the synthesized deployment, run here. Each function's packaged <c>bootstrap</c> runs as a
/// process with the template's environment; the state machine the Object Created rule targets runs in the interpreter
/// from the template's own definition; the template's tables live in dynalite and its bucket in s3rver.
/// </summary>
/// <remarks>
/// Catches what unit tests cannot: a package missing its executable, a handler setting the bootstrap does not serve,
/// an environment the code needs and the template does not give (the function then fails against the rehearsal's
/// resources), a definition placeholder left unsubstituted, a task payload over Step Functions' 256 KiB, a metric a
/// dashboard or alarm reads that no function emits, and personal data in the logs.
/// </remarks>
public static class DeploymentRehearsal
{
    private const string S3Credential = "S3RVER";

    public static async Task<RehearsalReport> RunAsync(RehearsalOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var assembly = CloudAssembly.Load(options.CloudAssemblyDirectory);
        var (ruleId, pattern, machineArn) = IngestRule(assembly);
        // Every state machine of the template, loaded up front: the rule's target starts the others (ProcessBatch) by ARN.
        var machines = assembly.StateMachineArns().ToDictionary(arn => arn, arn => LoadMachine(assembly, arn), StringComparer.Ordinal);
        var machine = machines[machineArn];

        var buckets = assembly.Buckets();
        // The bucket uploads go to is the one the rule's pattern names (the other holds the access logs).
        var named = buckets.Where(b => pattern.Contains('"' + b + '"', StringComparison.Ordinal)).ToList();
        var bucket = named.Count == 1 ? named[0] : throw new RehearsalException($"Rule {ruleId}'s pattern names {named.Count} of the template's {buckets.Count} buckets; the rehearsal expects it to name one.");
        Directory.CreateDirectory(options.WorkDirectory);
        using var dynalite = NodeService.Dynalite(options.RepositoryRoot);
        using var s3rver = NodeService.S3rver(options.RepositoryRoot, Path.Combine(options.WorkDirectory, "s3"), buckets);
        var credentials = new BasicAWSCredentials(S3Credential, S3Credential);
        using (var dynamo = new AmazonDynamoDBClient(credentials, new AmazonDynamoDBConfig { ServiceURL = dynalite.Url, AuthenticationRegion = assembly.Region }))
        {
            await TemplateTables.CreateAsync(dynamo, assembly.Tables(), cancellationToken);
        }

        // What Lambda itself gives every function (region, the role's credentials), and the network's redirection of
        // the AWS endpoints to the rehearsal's servers.
        var lambdaVariables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AWS_REGION"] = assembly.Region,
            ["AWS_DEFAULT_REGION"] = assembly.Region,
            ["AWS_ACCESS_KEY_ID"] = S3Credential,
            ["AWS_SECRET_ACCESS_KEY"] = S3Credential,
            ["AWS_ENDPOINT_URL_DYNAMODB"] = dynalite.Url,
            ["AWS_ENDPOINT_URL_S3"] = s3rver.Url,
            ["AWS_EC2_METADATA_DISABLED"] = "true",
        };

        var functions = new List<FunctionProcess>();
        using var objects = AwsBackends.ObjectStore(new AwsConnection(s3rver.Url, assembly.Region) { Credentials = credentials });
        await using var outbox = SqliteOutbox.Open(Path.Combine(options.WorkDirectory, "sns.db"), Path.Combine(options.WorkDirectory, "none.db"));
        try
        {
            var starting = assembly.Functions().Select(f => FunctionProcess.StartAsync(WithPackage(f, options.PackageOverride), lambdaVariables, cancellationToken)).ToList();
            // Every start is awaited before leaving, so no process outlives the rehearsal; the first failure is reported.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo? failure = null;
            foreach (var start in starting)
            {
                try
                {
                    functions.Add(await start);
                }
                catch (RehearsalException e)
                {
                    failure ??= System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
                }
            }

            failure?.Throw();

            var metricsSink = new MemoryLineSink();
            var engine = new StatesEngine(new StatesEngineOptions
            {
                Storage = new LocalObjectStorage(objects),
                Region = assembly.Region,
                AccountId = assembly.AccountId,
                // One sandbox per function here: more concurrency only queues invocations.
                MaxChildConcurrency = 2,
            });
            foreach (var function in functions)
            {
                engine.Functions.Register(function.Spec.Arn, function.InvokeAsync);
            }

            SnsIntegration.Register(engine.Tasks, outbox, assembly.Topics().ToHashSet(StringComparer.Ordinal));
            StepFunctionsIntegration.Register(engine, arn => machines.GetValueOrDefault(arn), _ => { });
            S3Integration.Register(engine.Tasks, objects);
            CloudWatchIntegration.Register(engine.Tasks, metricsSink, TimeProvider.System);

            var eventPattern = EventPattern.Parse(pattern);
            var runs = new List<FileRehearsal>();
            foreach (var file in options.Files)
            {
                runs.Add(await IngestAsync(engine, machine, objects, bucket, ruleId, eventPattern, assembly, file, cancellationToken));
            }

            return new RehearsalReport(runs, [.. functions.Select(Timing)], Problems(assembly, functions, metricsSink, runs, options.Files));
        }
        finally
        {
            foreach (var function in functions)
            {
                await function.DisposeAsync();
            }
        }
    }

    private static StateMachine LoadMachine(CloudAssembly assembly, string arn)
    {
        var (name, definition) = assembly.StateMachine(arn);
        try
        {
            return StateMachine.Load(name, definition);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new RehearsalException($"The definition of {name} in the template does not load: {e.Message}");
        }
    }

    private static FunctionSpec WithPackage(FunctionSpec function, string? package)
    {
        if (package is null)
        {
            return function;
        }

        var bootstrap = Path.Combine(package, "bootstrap");
        var architecture = File.Exists(bootstrap) ? ElfArchitecture.Of(bootstrap) : null;
        return architecture is null
            ? throw new RehearsalException($"The package override '{package}' has no Linux arm64 or x86_64 'bootstrap'.")
            : function with { PackageDirectory = package, Architecture = architecture };
    }

    private static (string RuleId, string Pattern, string MachineArn) IngestRule(CloudAssembly assembly)
    {
        foreach (var (id, pattern, targets) in assembly.PatternRules())
        {
            if (targets.FirstOrDefault(t => t.Contains(":states:", StringComparison.Ordinal)) is { } machine)
            {
                return (id, pattern, machine);
            }
        }

        throw new RehearsalException("No event rule of the template sends events to a state machine.");
    }

    private static async Task<FileRehearsal> IngestAsync(
        StatesEngine engine,
        StateMachine machine,
        S3ObjectStore objects,
        string bucket,
        string ruleId,
        EventPattern pattern,
        CloudAssembly assembly,
        string file,
        CancellationToken cancellationToken)
    {
        var key = "incoming/" + Path.GetFileName(file);
        ObjectInfo info;
        await using (var content = File.OpenRead(file))
        {
            info = await objects.PutAsync(bucket, key, content, cancellationToken);
        }

        var objectCreated = ObjectCreatedEvent.Create(info, DateTimeOffset.UtcNow, assembly.Region, assembly.AccountId);
        var eventText = objectCreated.ToJsonString();
        if (!pattern.Matches(eventText))
        {
            throw new RehearsalException($"The Object Created event of s3://{bucket}/{key} does not match rule {ruleId}'s pattern: nothing would be ingested.");
        }

        var outcome = await engine.RunAsync(machine, objectCreated, cancellationToken: cancellationToken);
        var output = outcome.Output as JObject;
        var reportKey = (output?.Get("reportKey") as JString)?.Value;
        var counts = RunCounts.Zero;
        if (reportKey is not null && await objects.HeadAsync(bucket, reportKey, cancellationToken) is not null)
        {
            await using var report = await objects.GetAsync(bucket, reportKey, cancellationToken: cancellationToken);
            using var document = await JsonDocument.ParseAsync(report.Content, default, cancellationToken);
            counts = document.RootElement.TryGetProperty("counts", out var c) ? Counts(c) : counts;
        }
        else
        {
            reportKey = null;
        }

        return new FileRehearsal(file, key, outcome.Status.ToString(), outcome.Error, outcome.Cause, counts, reportKey);
    }

    private static RunCounts Counts(JsonElement counts)
    {
        long Get(string name) => counts.TryGetProperty(name, out var n) && n.TryGetInt64(out var value) ? value : 0;
        return new RunCounts(Get("received"), Get("created"), Get("updated"), Get("unchanged"), Get("replayed"), Get("stale"), Get("rejected"), Get("failed"), Get("notified"));
    }

    private static FunctionTiming Timing(FunctionProcess f) => new(
        f.Spec.Name,
        f.Spec.Handler,
        f.Spec.Architecture == "arm64" && RuntimeInformation.OSArchitecture != Architecture.Arm64,
        f.InitDuration ?? TimeSpan.Zero,
        f.FirstInvocationDuration);

    private static List<string> Problems(CloudAssembly assembly, List<FunctionProcess> functions, MemoryLineSink metricsSink, List<FileRehearsal> runs, IReadOnlyList<string> files)
    {
        var problems = new List<string>();
        foreach (var run in runs.Where(r => r.ExecutionStatus != nameof(ExecutionStatus.Succeeded) && r.Error != "FileQuarantined"))
        {
            problems.Add($"{Path.GetFileName(run.File)}: the execution ended {run.ExecutionStatus} with {run.Error}: {run.Cause}");
        }

        var emitted = TelemetryCheck.EmittedMetrics(functions.SelectMany(f => f.Logs).Concat(metricsSink.Lines), MetricNames.Namespace);
        foreach (var (name, dimensions) in assembly.WatchedMetrics(MetricNames.Namespace).Order())
        {
            if (!emitted.Contains((name, dimensions)))
            {
                problems.Add($"The dashboard or an alarm reads {MetricNames.Namespace}/{name} with dimensions [{dimensions}], which no function emitted.");
            }
        }

        var personal = files.SelectMany(TelemetryCheck.PersonalValues).ToHashSet(StringComparer.Ordinal);
        foreach (var function in functions)
        {
            problems.AddRange(TelemetryCheck.PersonalDataLeaks(function.Spec.Name, function.Logs, personal).Take(3));
        }

        return problems;
    }
}
