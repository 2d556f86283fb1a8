using System.Text.Json.Nodes;

namespace Ingestion.Rehearsal.Template;

/// <summary>
/// The physical names and ARNs the rehearsal gives the template's resources: what CloudFormation's <c>Ref</c> and
/// <c>Fn::GetAtt</c> return once the stack is deployed, here in a fake account.
/// </summary>
internal sealed class RehearsalResources
{
    public const string Region = "us-east-1";
    public const string AccountId = "123456789012";

    private readonly JsonObject _resources;

    public RehearsalResources(JsonObject resources) => _resources = resources;

    public bool Exists(string logicalId) => _resources.ContainsKey(logicalId);

    public string TypeOf(string logicalId) => _resources[logicalId]?["Type"]?.GetValue<string>() ?? "";

    /// <summary>What <c>{"Ref": id}</c> resolves to.</summary>
    public string Ref(string logicalId) => TypeOf(logicalId) switch
    {
        "AWS::SNS::Topic" => $"arn:aws:sns:{Region}:{AccountId}:{Name(logicalId, "TopicName")}",
        "AWS::StepFunctions::StateMachine" => $"arn:aws:states:{Region}:{AccountId}:stateMachine:{Name(logicalId, "StateMachineName")}",
        "AWS::SQS::Queue" => $"https://sqs.{Region}.amazonaws.com/{AccountId}/{Name(logicalId, "QueueName")}",
        _ => Name(logicalId, NameProperty(TypeOf(logicalId))),
    };

    /// <summary>What <c>{"Fn::GetAtt": [id, attribute]}</c> resolves to.</summary>
    public string Attribute(string logicalId, string attribute)
    {
        var type = TypeOf(logicalId);
        var name = Ref(logicalId);
        return (type, attribute) switch
        {
            ("AWS::DynamoDB::Table", "Arn") => $"arn:aws:dynamodb:{Region}:{AccountId}:table/{name}",
            ("AWS::DynamoDB::Table", "StreamArn") => $"arn:aws:dynamodb:{Region}:{AccountId}:table/{name}/stream/rehearsal",
            ("AWS::S3::Bucket", "Arn") => $"arn:aws:s3:::{name}",
            ("AWS::S3::Bucket", "DomainName" or "RegionalDomainName") => $"{name}.s3.{Region}.amazonaws.com",
            ("AWS::SNS::Topic", "TopicArn") => name,
            ("AWS::SNS::Topic", "TopicName") => Name(logicalId, "TopicName"),
            ("AWS::Lambda::Function", "Arn") => $"arn:aws:lambda:{Region}:{AccountId}:function:{name}",
            ("AWS::StepFunctions::StateMachine", "Arn") => name,
            ("AWS::StepFunctions::StateMachine", "Name") => Name(logicalId, "StateMachineName"),
            ("AWS::IAM::Role", "Arn") => $"arn:aws:iam::{AccountId}:role/{name}",
            ("AWS::Logs::LogGroup", "Arn") => $"arn:aws:logs:{Region}:{AccountId}:log-group:{name}:*",
            ("AWS::KMS::Key", "Arn") => $"arn:aws:kms:{Region}:{AccountId}:key/{name}",
            ("AWS::SQS::Queue", "Arn") => $"arn:aws:sqs:{Region}:{AccountId}:{Name(logicalId, "QueueName")}",
            ("AWS::SQS::Queue", "QueueName") => Name(logicalId, "QueueName"),
            ("AWS::SQS::Queue", "QueueUrl") => name,
            ("AWS::Events::Rule", "Arn") => $"arn:aws:events:{Region}:{AccountId}:rule/{name}",
            (_, "Arn") => $"arn:aws:rehearsal:{Region}:{AccountId}:{logicalId}",
            _ => throw new TemplateException($"Fn::GetAtt {logicalId}.{attribute}: the rehearsal gives no value to '{attribute}' of a {type}."),
        };
    }

    private static string? NameProperty(string type) => type switch
    {
        "AWS::DynamoDB::Table" => "TableName",
        "AWS::S3::Bucket" => "BucketName",
        "AWS::Lambda::Function" => "FunctionName",
        "AWS::IAM::Role" => "RoleName",
        "AWS::Logs::LogGroup" => "LogGroupName",
        "AWS::Events::Rule" => "Name",
        _ => null,
    };

    /// <summary>The name the template sets, else one derived from the logical id (as CloudFormation generates one).</summary>
    private string Name(string logicalId, string? property)
    {
        if (property is not null && _resources[logicalId]?["Properties"]?[property] is JsonValue value && value.TryGetValue<string>(out var given))
        {
            return given;
        }

        // Bucket names are lower case; others keep the id, which is what the logs and reports then show.
        return TypeOf(logicalId) == "AWS::S3::Bucket" ? "rehearsal-" + logicalId.ToLowerInvariant()[..Math.Min(40, logicalId.Length)] : logicalId;
    }
}
