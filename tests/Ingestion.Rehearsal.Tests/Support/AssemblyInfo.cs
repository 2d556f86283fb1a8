// The jsii runtime behind the CDK is not thread-safe, and each rehearsal starts four emulated processes on a shared
// machine: one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
