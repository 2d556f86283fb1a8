namespace Ingestion.Testing;

/// <summary>Process settings every test talking to an AWS API needs.</summary>
public static class AwsTestEnvironment
{
    /// <summary>Keeps the SDK from probing the EC2 instance metadata service for credentials or a region (slow, and never right in a test).</summary>
    public static void Apply() => Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
}
