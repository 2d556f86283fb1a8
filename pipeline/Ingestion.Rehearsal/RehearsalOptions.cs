namespace Ingestion.Rehearsal;

/// <summary>What to rehearse: the synthesized app, the files to ingest through it, and where the npm servers are.</summary>
/// <param name="CloudAssemblyDirectory">The CDK output (<c>cdk.out</c>).</param>
/// <param name="Files">Local files, each uploaded to <c>incoming/</c> of the template's bucket and sent through the rule.</param>
/// <param name="RepositoryRoot">The folder whose <c>node_modules</c> holds dynalite and s3rver.</param>
/// <param name="WorkDirectory">Scratch space (the fake bucket's files, the captured SNS messages); removed afterwards.</param>
/// <param name="PackageOverride">
/// A folder whose <c>bootstrap</c> every function runs instead of its packaged one, on the architecture its ELF header
/// names: a natively built x86_64 bootstrap measures cold start without emulation. Null: the template's packages.
/// </param>
public sealed record RehearsalOptions(string CloudAssemblyDirectory, IReadOnlyList<string> Files, string RepositoryRoot, string WorkDirectory, string? PackageOverride = null);
