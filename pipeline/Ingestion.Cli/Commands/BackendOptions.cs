using System.CommandLine;
using Ingestion.Domain;
using Ingestion.Local;

namespace Ingestion.Cli.Commands;

/// <summary>
/// <c>--store</c>, <c>--dynamodb-endpoint</c>, <c>--objects</c>, <c>--s3-endpoint</c>, <c>--bucket</c>: run the local
/// pipeline against DynamoDB and S3 APIs (AWS itself, or dynalite / s3rver / LocalStack) instead of SQLite and folders.
/// </summary>
/// <remarks>
/// They override the environment's <c>INGEST_STORE</c>, <c>AWS_ENDPOINT_URL_DYNAMODB</c>, <c>INGEST_OBJECTS</c> and
/// <c>AWS_ENDPOINT_URL_S3</c> (handlers/README.md); the adapters are then chosen by the handlers' own configuration,
/// as on Lambda. Credentials and region come from the usual AWS environment variables.
/// </remarks>
internal static class BackendOptions
{
    public static Option<string?> Store { get; } = OneOf(new("--store")
    {
        Description = "Where students and the ledger live: sqlite (the data folder's ingest.db) or dynamodb. Default: $INGEST_STORE, else sqlite.",
        Recursive = true,
        HelpName = "sqlite|dynamodb",
    }, "sqlite", "dynamodb");

    public static Option<string?> DynamoDbEndpoint { get; } = new("--dynamodb-endpoint")
    {
        Description = "With --store dynamodb: a DynamoDB endpoint such as dynalite (http://127.0.0.1:4567). Default: $AWS_ENDPOINT_URL_DYNAMODB, else AWS.",
        Recursive = true,
        HelpName = "URL",
    };

    public static Option<string?> Objects { get; } = OneOf(new("--objects")
    {
        Description = "Where files live: folder (the data folder's s3/) or s3. Default: $INGEST_OBJECTS, else folder.",
        Recursive = true,
        HelpName = "folder|s3",
    }, "folder", "s3");

    public static Option<string?> S3Endpoint { get; } = new("--s3-endpoint")
    {
        Description = "With --objects s3: an S3 endpoint such as s3rver (http://127.0.0.1:4568). Default: $AWS_ENDPOINT_URL_S3, else AWS.",
        Recursive = true,
        HelpName = "URL",
    };

    public static Option<string?> Bucket { get; } = new("--bucket")
    {
        Description = "With --objects s3: the bucket files are uploaded to and ingested from (it must exist). Default: ingestion.",
        Recursive = true,
        HelpName = "NAME",
    };

    /// <summary>
    /// Puts <c>--data-dir</c> and the storage options on a command that opens the stores (recursive: on a group such as
    /// <c>students</c>, its subcommands take them too).
    /// </summary>
    public static Command AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        CommandContext.AddDataDirTo(command);
        foreach (var option in new[] { Store, DynamoDbEndpoint, Objects, S3Endpoint, Bucket })
        {
            command.Options.Add(option);
        }

        return command;
    }

    /// <summary>The options as given on the command line, over the environment's settings.</summary>
    /// <exception cref="ConfigurationException">An endpoint or bucket without the backend it belongs to.</exception>
    public static LocalPipelineOptions Apply(ParseResult parse, LocalPipelineOptions options)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Settings;
        settings = settings with
        {
            Store = parse.GetValue(Store) ?? settings.Store,
            Objects = parse.GetValue(Objects) ?? settings.Objects,
            Functions = settings.Functions with
            {
                DynamoDbEndpoint = parse.GetValue(DynamoDbEndpoint) ?? settings.Functions.DynamoDbEndpoint,
                S3Endpoint = parse.GetValue(S3Endpoint) ?? settings.Functions.S3Endpoint,
            },
        };
        if (parse.GetValue(DynamoDbEndpoint) is not null && settings.Store != "dynamodb")
        {
            throw new ConfigurationException("--dynamodb-endpoint needs --store dynamodb.");
        }

        if (parse.GetValue(S3Endpoint) is not null && settings.Objects != "s3")
        {
            throw new ConfigurationException("--s3-endpoint needs --objects s3.");
        }

        var bucket = parse.GetValue(Bucket);
        if (bucket is not null && settings.Objects != "s3")
        {
            throw new ConfigurationException("--bucket needs --objects s3 (the local folder's bucket is always 'ingestion').");
        }

        if (bucket is not null && !IsBucketName(bucket))
        {
            throw new ConfigurationException($"--bucket '{bucket}' is not a bucket name: 3-63 characters of a-z, 0-9, '.', '-'.");
        }

        return options with
        {
            Settings = settings,
            Resources = bucket is null ? options.Resources : options.Resources with { Bucket = bucket },
        };
    }

    private static Option<string?> OneOf(Option<string?> option, params string[] values)
    {
        option.AcceptOnlyFromAmong(values);
        return option;
    }

    private static bool IsBucketName(string bucket)
    {
        try
        {
            Domain.Storage.ObjectKey.ValidateBucket(bucket);
            return true;
        }
        catch (Domain.Storage.InvalidObjectKeyException)
        {
            return false;
        }
    }
}
