using System.Text.Json.Nodes;
using Amazon.DynamoDBv2.Model;
using Ingestion.Cdk.Tests.Support;
using Ingestion.Storage.Aws.DynamoDb;

namespace Ingestion.Cdk.Tests;

/// <summary>The tables the stack creates are the tables the handlers' DynamoDB adapters expect (keys and indexes).</summary>
[Collection(SharedTemplate.Name)]
public sealed class SchemaConsistencyTests(StackFixture synthesized)
{
    [Fact]
    public void StudentRecords_has_the_keys_and_indexes_of_the_handlers_schema()
    {
        AssertSameShape(DynamoDbSchema.StudentsTableRequest(), synthesized.Properties(synthesized.Stack.Storage.Students));
    }

    [Fact]
    public void IngestionFiles_has_the_keys_and_indexes_of_the_handlers_schema()
    {
        AssertSameShape(DynamoDbSchema.FilesTableRequest(), synthesized.Properties(synthesized.Stack.Storage.Files));
    }

    private static void AssertSameShape(CreateTableRequest expected, JsonObject table)
    {
        Assert.Equal(Keys(expected.KeySchema), Keys(table["KeySchema"]!.AsArray()));
        Assert.Equal(
            expected.AttributeDefinitions.Select(a => $"{a.AttributeName}:{a.AttributeType.Value}").Order(),
            table["AttributeDefinitions"]!.AsArray().Select(a => $"{a!["AttributeName"]}:{a["AttributeType"]}").Order());
        Assert.Equal(
            (expected.GlobalSecondaryIndexes ?? []).Select(i => $"{i.IndexName} {Keys(i.KeySchema)} {i.Projection.ProjectionType.Value}").Order(),
            (table["GlobalSecondaryIndexes"]?.AsArray() ?? [])
                .Select(i => $"{i!["IndexName"]} {Keys(i["KeySchema"]!.AsArray())} {i["Projection"]!["ProjectionType"]}").Order());
        Assert.Equal(expected.BillingMode.Value, table["BillingMode"]!.GetValue<string>());
    }

    private static string Keys(IEnumerable<KeySchemaElement> keys) => string.Join(",", keys.Select(k => $"{k.AttributeName}:{k.KeyType.Value}"));

    private static string Keys(JsonArray keys) => string.Join(",", keys.Select(k => $"{k!["AttributeName"]}:{k["KeyType"]}"));
}
