using Amazon.CDK.AWS.IAM;

namespace Ingestion.Cdk;

/// <summary>Writing grants by hand: the CDK's <c>grant*</c> helpers add actions we do not use (<c>s3:GetObject*</c>, <c>dynamodb:Scan</c>, …).</summary>
internal static class Iam
{
    public static PolicyStatement Allow(string sid, string[] actions, string[] resources, Dictionary<string, object>? conditions = null) =>
        new(new PolicyStatementProps
        {
            Sid = sid,
            Effect = Effect.ALLOW,
            Actions = actions,
            Resources = resources,
            Conditions = conditions,
        });

    /// <summary><c>{ "StringLike": { key: values } }</c>.</summary>
    public static Dictionary<string, object> StringLike(string key, params string[] values) =>
        new() { ["StringLike"] = new Dictionary<string, object> { [key] = values } };

    /// <summary><c>{ "StringEquals": { key: value } }</c>.</summary>
    public static Dictionary<string, object> StringEquals(string key, string value) =>
        new() { ["StringEquals"] = new Dictionary<string, object> { [key] = value } };

    public static void AddAll(this Role role, IEnumerable<PolicyStatement> statements)
    {
        foreach (var statement in statements)
        {
            role.AddToPolicy(statement);
        }
    }
}
