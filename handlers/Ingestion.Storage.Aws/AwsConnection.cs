using Amazon;
using Amazon.Runtime;
using Ingestion.Domain;

namespace Ingestion.Storage.Aws;

/// <summary>Where the AWS adapters send their calls, and as whom.</summary>
/// <param name="ServiceUrl">
/// An endpoint URL (dynalite, s3rver, LocalStack, a VPC endpoint); <see langword="null"/> for the region's public
/// endpoint.
/// </param>
/// <param name="Region">
/// The region (<c>eu-west-1</c>); <see langword="null"/> for the SDK's own lookup (<c>AWS_REGION</c>, the profile).
/// With an endpoint URL it is only the signing region, <c>us-east-1</c> when not given.
/// </param>
/// <remarks>
/// Credentials come from the SDK's default chain (<c>AWS_ACCESS_KEY_ID</c>/<c>AWS_SECRET_ACCESS_KEY</c>,
/// <c>AWS_PROFILE</c>, the Lambda role) unless <see cref="Credentials"/> is set.
/// </remarks>
public sealed record AwsConnection(string? ServiceUrl = null, string? Region = null)
{
    /// <summary>The signing region used with an endpoint URL when none is given.</summary>
    public const string DefaultSigningRegion = "us-east-1";

    /// <summary>Explicit credentials; <see langword="null"/> for the SDK's default chain.</summary>
    public AWSCredentials? Credentials { get; init; }

    /// <summary>Replaces the SDK's HTTP client (tests count requests and inject faults through it).</summary>
    public HttpClientFactory? HttpClientFactory { get; init; }

    /// <summary>Applies the endpoint or region to a client configuration.</summary>
    /// <remarks>
    /// Never sets <see cref="ClientConfig.RegionEndpoint"/> together with <see cref="ClientConfig.ServiceURL"/>: the
    /// last one set wins, and a region set after the URL silently sends every call to real AWS.
    /// </remarks>
    public void ApplyTo(ClientConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (ServiceUrl is not null)
        {
            if (!Uri.TryCreate(ServiceUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw new ConfigurationException($"The endpoint '{ServiceUrl}' is not an http:// or https:// URL.");
            }

            config.ServiceURL = ServiceUrl;
            config.AuthenticationRegion = Region ?? DefaultSigningRegion;
        }
        else if (Region is not null)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(Region);
        }

        if (HttpClientFactory is not null)
        {
            config.HttpClientFactory = HttpClientFactory;
        }
    }

    /// <summary>Where calls go, for messages: the endpoint URL or the region.</summary>
    public static string Describe(IClientConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!string.IsNullOrEmpty(config.ServiceURL))
        {
            return "at " + config.ServiceURL.TrimEnd('/');
        }

        return config.RegionEndpoint is { } region ? "in region " + region.SystemName : "in the default region";
    }
}
