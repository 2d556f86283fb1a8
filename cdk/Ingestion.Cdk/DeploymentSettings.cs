using System.Globalization;
using Constructs;

namespace Ingestion.Cdk;

/// <summary>What an institution chooses at deploy time, from CDK context (<c>-c name=value</c>).</summary>
/// <param name="AdminEmail">Subscribed to AdminAlerts (run summaries, nightly digest) when given.</param>
/// <param name="OpsEmail">Subscribed to OpsAlerts (alarms) when given.</param>
/// <param name="SyncSchedule">An EventBridge schedule expression for NightlySync.</param>
/// <param name="SyncGraceSeconds">Objects younger than this are left to their own Object Created event.</param>
internal sealed record DeploymentSettings(
    string? AdminEmail = null,
    string? OpsEmail = null,
    string SyncSchedule = DeploymentSettings.DefaultSyncSchedule,
    int SyncGraceSeconds = DeploymentSettings.DefaultSyncGraceSeconds)
{
    /// <summary>02:00 UTC every day: after the registrar's exports, before office hours.</summary>
    public const string DefaultSyncSchedule = "cron(0 2 * * ? *)";

    /// <summary>An hour: an event that has not arrived by then is not coming.</summary>
    public const int DefaultSyncGraceSeconds = 3600;

    public static DeploymentSettings FromContext(Node node)
    {
        var settings = new DeploymentSettings(
            AdminEmail: Text(node, "adminEmail"),
            OpsEmail: Text(node, "opsEmail"),
            SyncSchedule: Text(node, "syncSchedule") ?? DefaultSyncSchedule,
            SyncGraceSeconds: Text(node, "syncGraceSeconds") is { } grace
                ? int.Parse(grace, NumberStyles.None, CultureInfo.InvariantCulture)
                : DefaultSyncGraceSeconds);
        settings.Validate();
        return settings;
    }

    public void Validate()
    {
        if (!SyncSchedule.StartsWith("cron(", StringComparison.Ordinal) && !SyncSchedule.StartsWith("rate(", StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"syncSchedule must be an EventBridge schedule expression such as 'cron(0 2 * * ? *)' or 'rate(12 hours)', not '{SyncSchedule}'.");
        }

        foreach (var (name, email) in new[] { ("adminEmail", AdminEmail), ("opsEmail", OpsEmail) })
        {
            if (email is not null && (email.Count(c => c == '@') != 1 || email.StartsWith('@') || email.EndsWith('@')))
            {
                throw new ArgumentException($"{name} must be one e-mail address, not '{email}'.");
            }
        }

        if (SyncGraceSeconds < 0)
        {
            throw new ArgumentException($"syncGraceSeconds must not be negative, not {SyncGraceSeconds}.");
        }
    }

    private static string? Text(Node node, string key) =>
        node.TryGetContext(key) switch
        {
            null => null,
            string text when string.IsNullOrWhiteSpace(text) => null,
            string text => text.Trim(),
            var other => Convert.ToString(other, CultureInfo.InvariantCulture),
        };
}
