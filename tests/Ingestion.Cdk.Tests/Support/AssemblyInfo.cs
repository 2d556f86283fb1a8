// The jsii runtime behind the CDK is not thread-safe: tests that synthesize must run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
