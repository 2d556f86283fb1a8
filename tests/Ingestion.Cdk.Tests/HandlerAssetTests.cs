using Ingestion.Cdk.Tests.Support;

namespace Ingestion.Cdk.Tests;

/// <summary>The real path of <c>cdk synth</c>: the Native AOT publish of the bootstrap, then the stack around it.</summary>
public sealed class PublishedHandlersFixture : StackFixture
{
    public PublishedHandlersFixture()
        : base(new Dictionary<string, object>(), Publish())
    {
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Scratch.Release(Path.GetDirectoryName(AssetDirectory)!);
        }
    }

    private static string Publish()
    {
        var layout = RepositoryLayout.Locate();
        return HandlerAsset.Publish(layout, Path.Combine(Scratch.Folder(layout, nameof(PublishedHandlersFixture) + "Publish"), "publish"));
    }
}

public sealed class HandlerAssetTests(PublishedHandlersFixture synthesized) : IClassFixture<PublishedHandlersFixture>
{
    [Fact]
    public void Publish_packages_only_the_bootstrap()
    {
        // No debug symbols (bootstrap.dbg), no .pdb, no SQLite: the custom runtime needs the one executable.
        var files = Directory.GetFiles(synthesized.AssetDirectory).Select(Path.GetFileName);

        Assert.Equal(["bootstrap"], files);
    }

    [Fact]
    public void Publish_produces_an_executable_arm64_elf()
    {
        var path = Path.Combine(synthesized.AssetDirectory, "bootstrap");
        var header = new byte[20];
        using (var stream = File.OpenRead(path))
        {
            stream.ReadExactly(header);
        }

        Assert.Equal("\u007fELF"u8.ToArray(), header[..4]);
        // e_machine (little-endian, offset 18) 183 = EM_AARCH64: Graviton, as the functions' architecture says.
        Assert.Equal(183, BitConverter.ToUInt16(header, 18));
        if (!OperatingSystem.IsWindows())
        {
            Assert.True((File.GetUnixFileMode(path) & UnixFileMode.UserExecute) != 0, "Lambda cannot start a bootstrap without the executable bit.");
        }
    }

    [Fact]
    public void Every_function_deploys_the_published_bootstrap_as_one_asset()
    {
        var keys = synthesized.OfType("AWS::Lambda::Function")
            .Select(f => f.Resource["Properties"]!["Code"]!["S3Key"]!.GetValue<string>())
            .Distinct()
            .ToList();

        var key = Assert.Single(keys);
        var staged = Path.Combine(synthesized.OutputDirectory, "asset." + Path.GetFileNameWithoutExtension(key));
        Assert.Equal(["bootstrap"], Directory.GetFiles(staged).Select(Path.GetFileName));
    }
}
