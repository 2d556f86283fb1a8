using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Ingestion.Domain;

namespace Ingestion.Storage.Aws.DynamoDb;

/// <summary>The two tables: names, keys, indexes and attributes. The CDK app (cdk/Ingestion.Cdk/Storage.cs) creates the same.</summary>
/// <remarks>
/// <para>
/// <b>StudentRecords</b>: partition key <c>StudentID</c> (S). GSI <c>Department</c>: partition key <c>Department</c>,
/// sort key <c>StudentID</c>, all attributes, for <c>students list --department</c> in StudentID order. Item
/// attributes: StudentID, Name, Department, Email, Extras (the extra fields as one JSON object, absent when there
/// are none), CreatedAt, UpdatedAt, SourceKey, SourceVersion, SourceTime, SourceIndex (N), ContentHash, SeenTime
/// (the seen marker, absent until a newer export confirmed the content while an older one was outstanding). Times are
/// <see cref="TimeFormat.ToStorage"/> strings: fixed width, so string order is time order.
/// </para>
/// <para>
/// <b>IngestionFiles</b>: partition key <c>FileKey</c> (S, <c>bucket/key</c>), sort key <c>Version</c> (S, the
/// object version): one item per object version, all versions of a key in one partition. History needs two GSIs,
/// both sorted by <c>RegisteredAt</c> and read newest first: <c>KeyHistory</c> (partition key <c>Key</c>, the object
/// key without the bucket, as <c>files list --key</c> asks) and <c>History</c> (partition key <c>History</c>, the
/// constant <c>ALL</c>, for the whole ledger). One constant partition is fine here: the ledger takes two writes per
/// file, far below a partition's 1,000 writes a second. Item attributes: FileKey, Version, Bucket, Key, ETag, Size
/// (N), SourceTime, Status, ExecutionName, RegisteredAt, Attempts (N), CompletedAt, Counts (M of N), ReportKey,
/// Error (M: Error, Cause), History.
/// </para>
/// <para>
/// Extras are one JSON string rather than one attribute each: the JSON keeps numbers as written (DynamoDB
/// normalises them and refuses more than 38 digits), field order and nulls, and an extra field named like one of
/// the store's own attributes (<c>CreatedAt</c>, <c>SourceKey</c>) cannot clash with it.
/// </para>
/// </remarks>
public static class DynamoDbSchema
{
    public const string StudentsTable = "StudentRecords";
    public const string FilesTable = "IngestionFiles";

    /// <summary>The students' GSI: Department, then StudentID.</summary>
    public const string DepartmentIndex = "Department";

    /// <summary>The ledger's GSI for one key's history: Key, then RegisteredAt.</summary>
    public const string KeyHistoryIndex = "KeyHistory";

    /// <summary>The ledger's GSI for the whole history: History (always <see cref="HistoryPartition"/>), then RegisteredAt.</summary>
    public const string HistoryIndex = "History";

    /// <summary>The one value of the <c>History</c> attribute.</summary>
    public const string HistoryPartition = "ALL";

    /// <summary>Student item attributes.</summary>
    public static class Student
    {
        public const string StudentId = "StudentID";
        public const string Name = "Name";
        public const string Department = "Department";
        public const string Email = "Email";
        public const string Extras = "Extras";
        public const string CreatedAt = "CreatedAt";
        public const string UpdatedAt = "UpdatedAt";
        public const string SourceKey = "SourceKey";
        public const string SourceVersion = "SourceVersion";
        public const string SourceTime = "SourceTime";
        public const string SourceIndex = "SourceIndex";
        public const string ContentHash = "ContentHash";
        public const string SeenTime = "SeenTime";
    }

    /// <summary>Ledger item attributes.</summary>
    public static class File
    {
        public const string FileKey = "FileKey";
        public const string Version = "Version";
        public const string Bucket = "Bucket";
        public const string Key = "Key";
        public const string ETag = "ETag";
        public const string Size = "Size";
        public const string SourceTime = "SourceTime";
        public const string Status = "Status";
        public const string ExecutionName = "ExecutionName";
        public const string RegisteredAt = "RegisteredAt";
        public const string Attempts = "Attempts";
        public const string CompletedAt = "CompletedAt";
        public const string Counts = "Counts";
        public const string ReportKey = "ReportKey";
        public const string Error = "Error";
        public const string History = "History";
    }

    /// <summary>The students table as CreateTable takes it (on-demand capacity).</summary>
    public static CreateTableRequest StudentsTableRequest(string tableName = StudentsTable) => new()
    {
        TableName = tableName,
        BillingMode = BillingMode.PAY_PER_REQUEST,
        AttributeDefinitions =
        [
            new AttributeDefinition(Student.StudentId, ScalarAttributeType.S),
            new AttributeDefinition(Student.Department, ScalarAttributeType.S),
        ],
        KeySchema = [new KeySchemaElement(Student.StudentId, KeyType.HASH)],
        GlobalSecondaryIndexes =
        [
            Index(DepartmentIndex, Student.Department, Student.StudentId),
        ],
    };

    /// <summary>The ledger table as CreateTable takes it (on-demand capacity).</summary>
    public static CreateTableRequest FilesTableRequest(string tableName = FilesTable) => new()
    {
        TableName = tableName,
        BillingMode = BillingMode.PAY_PER_REQUEST,
        AttributeDefinitions =
        [
            new AttributeDefinition(File.FileKey, ScalarAttributeType.S),
            new AttributeDefinition(File.Version, ScalarAttributeType.S),
            new AttributeDefinition(File.Key, ScalarAttributeType.S),
            new AttributeDefinition(File.History, ScalarAttributeType.S),
            new AttributeDefinition(File.RegisteredAt, ScalarAttributeType.S),
        ],
        KeySchema =
        [
            new KeySchemaElement(File.FileKey, KeyType.HASH),
            new KeySchemaElement(File.Version, KeyType.RANGE),
        ],
        GlobalSecondaryIndexes =
        [
            Index(KeyHistoryIndex, File.Key, File.RegisteredAt),
            Index(HistoryIndex, File.History, File.RegisteredAt),
        ],
    };

    /// <summary>Creates both tables where missing and waits until they are active (for tests and local runs; AWS gets them from the CDK app).</summary>
    public static async Task CreateTablesAsync(IAmazonDynamoDB client, string studentsTable = StudentsTable, string filesTable = FilesTable, CancellationToken cancellationToken = default)
    {
        await CreateTableAsync(client, StudentsTableRequest(studentsTable), cancellationToken);
        await CreateTableAsync(client, FilesTableRequest(filesTable), cancellationToken);
    }

    /// <summary>Creates one table unless it exists, then waits until it is active.</summary>
    public static async Task CreateTableAsync(IAmazonDynamoDB client, CreateTableRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(request);
        var resource = new AwsResource("DynamoDB table", request.TableName, AwsConnection.Describe(client.Config), "it could not be created");
        await AwsErrors.Guard(resource, async () =>
        {
            try
            {
                await client.CreateTableAsync(request, cancellationToken);
            }
            catch (ResourceInUseException)
            {
                // Already there (or being created): wait for it below.
            }

            while ((await client.DescribeTableAsync(request.TableName, cancellationToken)).Table.TableStatus != TableStatus.ACTIVE)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            }

            return true;
        });
    }

    private static GlobalSecondaryIndex Index(string name, string partitionKey, string sortKey) => new()
    {
        IndexName = name,
        KeySchema =
        [
            new KeySchemaElement(partitionKey, KeyType.HASH),
            new KeySchemaElement(sortKey, KeyType.RANGE),
        ],
        Projection = new Projection { ProjectionType = ProjectionType.ALL },
    };
}
