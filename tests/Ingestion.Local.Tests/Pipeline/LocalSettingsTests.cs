using Ingestion.Domain;
using Ingestion.Storage.Aws.DynamoDb;
using Ingestion.Storage.Aws.S3;

namespace Ingestion.Local.Tests.Pipeline;

/// <summary>Which storage the local runtime composes the functions with, from the environment.</summary>
public sealed class LocalSettingsTests
{
    [Fact]
    public void Settings_default_to_sqlite_and_the_folder_bucket_under_the_data_folder()
    {
        var defaults = LocalSettings.FromEnvironment(_ => null);
        var custom = LocalSettings.FromEnvironment(name => name switch
        {
            "INGEST_DATA_DIR" => "/data",
            "STUDENTS_TABLE" => "Students-prod",
            _ => null,
        });

        Assert.Equal(("sqlite", "folder", Path.Combine(".ingest", "ingest.db")), (defaults.Store, defaults.Objects, defaults.EffectiveSqlitePath));
        Assert.Equal((Path.Combine("/data", "ingest.db"), "Students-prod"), (custom.EffectiveSqlitePath, custom.Functions.StudentsTable));
    }

    [Fact]
    public void Dynamodb_and_s3_settings_build_the_aws_adapters()
    {
        var variables = new Dictionary<string, string>
        {
            ["INGEST_STORE"] = "dynamodb",
            ["INGEST_OBJECTS"] = "s3",
            ["AWS_ENDPOINT_URL_DYNAMODB"] = "http://127.0.0.1:8000",
            ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:4569",
        };
        var settings = LocalSettings.FromEnvironment(name => variables.GetValueOrDefault(name));

        using var store = Assert.IsType<DynamoDbStudentStore>(settings.CreateStudentStore());
        using var ledger = Assert.IsType<DynamoDbFileLedger>(settings.CreateFileLedger());
        using var objects = Assert.IsType<S3ObjectStore>(settings.CreateObjectStore());
    }

    [Theory]
    [InlineData("INGEST_STORE", "mongo")]
    [InlineData("INGEST_OBJECTS", "ftp")]
    public void Unknown_backends_fail_with_a_clear_message(string variable, string value)
    {
        var settings = LocalSettings.FromEnvironment(name => name == variable ? value : null);

        var error = Assert.Throws<ConfigurationException>(() =>
        {
            if (variable == "INGEST_STORE")
            {
                settings.CreateStudentStore();
            }
            else
            {
                settings.CreateObjectStore();
            }
        });

        Assert.Contains(variable, error.Message, StringComparison.Ordinal);
    }
}
