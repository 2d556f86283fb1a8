using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Ingestion.Rehearsal.Services;

/// <summary>Creates the template's tables (keys, attribute definitions, GSIs) in a DynamoDB endpoint.</summary>
internal static class TemplateTables
{
    public static async Task CreateAsync(IAmazonDynamoDB dynamo, IEnumerable<JsonObject> tables, CancellationToken cancellationToken)
    {
        foreach (var table in tables)
        {
            var request = new CreateTableRequest
            {
                TableName = table["TableName"]!.GetValue<string>(),
                BillingMode = BillingMode.PAY_PER_REQUEST,
                KeySchema = Keys(table["KeySchema"]),
                AttributeDefinitions = [.. (table["AttributeDefinitions"] as JsonArray ?? []).Select(a => new AttributeDefinition(
                    a!["AttributeName"]!.GetValue<string>(), new ScalarAttributeType(a["AttributeType"]!.GetValue<string>())))],
            };
            if (table["GlobalSecondaryIndexes"] is JsonArray indexes)
            {
                request.GlobalSecondaryIndexes = [.. indexes.Select(i => new GlobalSecondaryIndex
                {
                    IndexName = i!["IndexName"]!.GetValue<string>(),
                    KeySchema = Keys(i["KeySchema"]),
                    Projection = new Projection
                    {
                        ProjectionType = new ProjectionType(i["Projection"]?["ProjectionType"]?.GetValue<string>() ?? "ALL"),
                        NonKeyAttributes = (i["Projection"]?["NonKeyAttributes"] as JsonArray)?.Select(n => n!.GetValue<string>()).ToList(),
                    },
                })];
            }

            await dynamo.CreateTableAsync(request, cancellationToken);
        }
    }

    private static List<KeySchemaElement> Keys(JsonNode? schema) =>
        [.. (schema as JsonArray ?? []).Select(k => new KeySchemaElement(k!["AttributeName"]!.GetValue<string>(), new KeyType(k["KeyType"]!.GetValue<string>())))];
}
