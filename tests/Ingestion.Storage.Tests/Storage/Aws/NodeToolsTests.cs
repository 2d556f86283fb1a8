using Ingestion.Testing;

namespace Ingestion.Storage.Tests.Storage.Aws;

/// <summary>The test servers' plumbing fails loudly: a missing tool or package is a failed test with a reason, never a pass.</summary>
public sealed class NodeToolsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public void The_repository_root_holds_the_npm_lock_file()
    {
        Assert.True(File.Exists(Path.Combine(NodeTools.RepositoryRoot, "package-lock.json")));
    }

    [Fact]
    public void A_missing_node_says_what_to_install()
    {
        var error = Assert.Throws<NodeToolsException>(() => NodeTools.StartNode(["--version"], executable: "node-not-installed-" + Guid.NewGuid().ToString("N")));

        Assert.Contains("Node.js", error.Message, StringComparison.Ordinal);
        Assert.Contains("PATH", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_package_npm_ci_does_not_bring_is_named()
    {
        // A project whose lock file installs nothing: npm ci runs (offline, at once) and the package is still missing.
        File.WriteAllText(_folder.Combine("package.json"), """{ "name": "empty", "version": "1.0.0", "private": true }""");
        File.WriteAllText(_folder.Combine("package-lock.json"), """
            { "name": "empty", "version": "1.0.0", "lockfileVersion": 3, "requires": true,
              "packages": { "": { "name": "empty", "version": "1.0.0" } } }
            """);

        var error = Assert.Throws<NodeToolsException>(() => NodeTools.EnsurePackages(["dynalite"], _folder.Path));

        Assert.Contains("dynalite", error.Message, StringComparison.Ordinal);
        Assert.Contains("package.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Installed_packages_need_no_install()
    {
        Directory.CreateDirectory(_folder.Combine("node_modules", "dynalite"));
        File.WriteAllText(_folder.Combine("node_modules", "dynalite", "package.json"), "{}");

        Assert.Equal(_folder.Combine("node_modules"), NodeTools.EnsurePackages(["dynalite"], _folder.Path));
        Assert.False(File.Exists(_folder.Combine(".tmp", "npm-ci.lock")));
    }

    public void Dispose() => _folder.Dispose();
}
