namespace Ingestion.Cdk;

/// <summary>The names the handlers' Embedded Metric Format output uses (DESIGN.md, Telemetry), in one place for the dashboard and alarms.</summary>
/// <remarks>
/// The CDK app does not reference the handlers' assembly (it deploys it); the CDK tests check these against the
/// handlers' own <c>MetricNames</c> and the documents their telemetry writes.
/// </remarks>
internal static class Telemetry
{
    /// <summary><c>POWERTOOLS_METRICS_NAMESPACE</c>; also the namespace NightlySync puts StaleFiles in.</summary>
    public const string Namespace = "StudentIngestion";

    /// <summary><c>POWERTOOLS_SERVICE_NAME</c>: the value of the <see cref="ServiceDimension"/> on every handler metric.</summary>
    public const string ServiceName = "ingestion";

    /// <summary>The dimension the handlers put on every metric, spelled as Powertools for .NET spells it (case matters).</summary>
    public const string ServiceDimension = "Service";

    public const string StudentsReceived = "StudentsReceived";
    public const string StudentsCreated = "StudentsCreated";
    public const string StudentsUpdated = "StudentsUpdated";
    public const string StudentsUnchanged = "StudentsUnchanged";
    public const string StudentsReplayed = "StudentsReplayed";
    public const string StudentsStale = "StudentsStale";
    public const string StudentsRejected = "StudentsRejected";
    public const string StudentsFailed = "StudentsFailed";
    public const string NotificationsPublished = "NotificationsPublished";
    public const string FilesProcessed = "FilesProcessed";
    public const string FilesQuarantined = "FilesQuarantined";
    public const string BatchDuration = "BatchDuration";

    /// <summary>Put by NightlySync itself (no dimensions), not by a handler.</summary>
    public const string StaleFiles = "StaleFiles";
}
