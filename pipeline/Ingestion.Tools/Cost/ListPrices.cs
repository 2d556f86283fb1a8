namespace Ingestion.Tools.Cost;

/// <summary>One public list price: what one unit of a billed dimension costs.</summary>
/// <param name="Key">A stable name for JSON output and tests, e.g. <c>lambda-arm-gb-second</c>.</param>
/// <param name="Item">What the line is called in the table.</param>
/// <param name="Unit">What one unit is, e.g. <c>GB-s</c>, <c>request</c>.</param>
/// <param name="PerUnit">US dollars per unit.</param>
/// <param name="Source">Where the figure was read.</param>
/// <param name="QuotedPer">How many units the price pages quote a price for (1,000 transitions, 1M requests).</param>
public sealed record ListPrice(string Key, string Item, string Unit, double PerUnit, string Source, long QuotedPer = 1)
{
    /// <summary>The price as the pages quote it, e.g. <c>$0.025 per 1,000 transitions</c>.</summary>
    public double Quoted => PerUnit * QuotedPer;
}

/// <summary>
/// The us-east-1 on-demand list prices the cost estimate uses: the one table of them, with the day they were read.
/// </summary>
/// <remarks>
/// First pricing tier everywhere (a run stays far inside it), no free tier, no Savings Plans. The official pricing
/// pages render some figures with scripts, so where a page's stored text had no number, the figure was checked
/// against a second public page that quotes it; <see cref="ListPrice.Source"/> names both.
/// </remarks>
public static class ListPrices
{
    public const string Region = "us-east-1";

    /// <summary>The day every figure below was read.</summary>
    public static readonly DateOnly ReadOn = new(2026, 11, 24);

    public static readonly ListPrice StandardTransition = new(
        "sfn-standard-transition", "Step Functions STANDARD state transitions", "transition", 0.025 / 1_000,
        "AWS Step Functions pricing page ($0.025 per 1,000 state transitions); Step Functions developer guide, Transitions (a Distributed Map child execution start is one transition of the parent)", 1_000);

    public static readonly ListPrice ExpressRequest = new(
        "sfn-express-request", "Step Functions EXPRESS requests", "request", 1.00 / 1_000_000,
        "AWS Step Functions pricing page ($1.00 per 1M requests); AWS Compute Blog, Building cost-effective AWS Step Functions workflows", 1_000_000);

    public static readonly ListPrice ExpressDuration = new(
        "sfn-express-gb-second", "Step Functions EXPRESS duration", "GB-s", 0.00001667,
        "AWS Step Functions pricing page (first 1,000 GB-hours, $0.00001667 per GB-second; rounded up to 100 ms, memory in 64 MB chunks); AWS Step Functions Workshop, Review the Cost Impact ($0.0000001042 per 100 ms of 64 MB)");

    public static readonly ListPrice LambdaRequest = new(
        "lambda-request", "Lambda requests", "request", 0.20 / 1_000_000,
        "AWS Lambda pricing page ($0.20 per 1M requests, x86 and Arm alike)", 1_000_000);

    public static readonly ListPrice LambdaArmDuration = new(
        "lambda-arm-gb-second", "Lambda duration, Arm", "GB-s", 0.0000133334,
        "AWS Lambda pricing page (Arm, first 7.5 billion GB-seconds a month, $0.0000133334 per GB-second; duration rounded up to 1 ms); the figure as quoted by cloudchipr.com, AWS Lambda Pricing Breakdown");

    public static readonly ListPrice DynamoDbWrite = new(
        "dynamodb-wru", "DynamoDB on-demand write request units", "WRU", 0.625 / 1_000_000,
        "Amazon DynamoDB pricing, on-demand ($0.625 per million WRU since the November 2024 price cut); the figure as quoted by airbyte.com, Amazon DynamoDB Pricing", 1_000_000);

    public static readonly ListPrice DynamoDbRead = new(
        "dynamodb-rru", "DynamoDB on-demand read request units", "RRU", 0.125 / 1_000_000,
        "Amazon DynamoDB pricing, on-demand ($0.125 per million RRU since the November 2024 price cut); the figure as quoted by airbyte.com, Amazon DynamoDB Pricing", 1_000_000);

    public static readonly ListPrice SnsRequest = new(
        "sns-request", "SNS publish requests (64 KB chunks)", "request", 0.50 / 1_000_000,
        "Amazon SNS pricing, standard topics ($0.50 per 1M requests, each 64 KB chunk of a request billed as one); Amazon SNS developer guide, message batching (PublishBatch cuts cost by up to 10x)", 1_000_000);

    public static readonly ListPrice LogsIngestion = new(
        "cloudwatch-logs-gb", "CloudWatch Logs ingestion", "GB", 0.50,
        "Amazon CloudWatch pricing, Logs, Standard class ($0.50 per GB ingested; Lambda logs' first tier since May 2025 is the same); the figure as quoted by duckbillgroup.com and hykell.com");

    public static readonly ListPrice S3Put = new(
        "s3-put", "S3 PUT, COPY, LIST requests", "request", 0.005 / 1_000,
        "Amazon S3 pricing, S3 Standard requests ($0.005 per 1,000 PUT, COPY, POST, LIST); the figure as quoted by c3x.dev, S3 request fees explained", 1_000);

    public static readonly ListPrice S3Get = new(
        "s3-get", "S3 GET, HEAD requests", "request", 0.0004 / 1_000,
        "Amazon S3 pricing, S3 Standard requests ($0.0004 per 1,000 GET, SELECT and all other requests); the figure as quoted by c3x.dev, S3 request fees explained", 1_000);

    /// <summary>Every price, in the order the estimate lists them.</summary>
    public static IReadOnlyList<ListPrice> All { get; } =
    [
        StandardTransition, ExpressRequest, ExpressDuration, LambdaRequest, LambdaArmDuration,
        DynamoDbWrite, DynamoDbRead, SnsRequest, LogsIngestion, S3Put, S3Get,
    ];
}
