using System.Text.Json.Nodes;

namespace Ingestion.Cdk.Tests.Support;

/// <summary>One IAM statement, rendered: effect, sorted actions, sorted resources, condition as JSON.</summary>
public sealed record Grant(string Role, string? Sid, string Effect, IReadOnlyList<string> Actions, IReadOnlyList<string> Resources, string? Condition)
{
    public override string ToString() =>
        $"{Role}/{Sid ?? "(no sid)"}: {Effect} [{string.Join(", ", Actions)}] on [{string.Join(", ", Resources)}]{(Condition is null ? "" : " if " + Condition)}";
}

/// <summary>Reads the grants out of a synthesized template.</summary>
public static class Grants
{
    /// <summary>Every statement of every role's policies in the template: inline <c>Policies</c> and <c>AWS::IAM::Policy</c> resources.</summary>
    public static List<Grant> All(StackFixture synthesized)
    {
        var grants = new List<Grant>();
        foreach (var (id, role) in synthesized.OfType("AWS::IAM::Role"))
        {
            foreach (var policy in role["Properties"]!["Policies"]?.AsArray() ?? [])
            {
                grants.AddRange(From(id, policy!["PolicyDocument"]!));
            }
        }

        foreach (var (_, policy) in synthesized.OfType("AWS::IAM::Policy"))
        {
            foreach (var role in policy["Properties"]!["Roles"]!.AsArray())
            {
                grants.AddRange(From(Render.Value(role).Trim('$', '{', '}'), policy["Properties"]!["PolicyDocument"]!));
            }
        }

        return grants;
    }

    private static IEnumerable<Grant> From(string role, JsonNode document) =>
        document["Statement"]!.AsArray().Select(s => new Grant(
            role,
            s!["Sid"]?.GetValue<string>(),
            s["Effect"]!.GetValue<string>(),
            Render.List(s["Action"]),
            Render.List(s["Resource"]),
            s["Condition"] is { } condition ? Render.Resolve(condition)!.ToJsonString() : null));
}
