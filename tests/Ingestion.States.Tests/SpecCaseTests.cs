using Ingestion.States.Tests.Support;

namespace Ingestion.States.Tests;

/// <summary>The specification as data: every file under Cases/&lt;feature&gt;/ is one test row.</summary>
public sealed class SpecCaseTests
{
    public static IEnumerable<object[]> Pass => SpecCase.In("pass");

    public static IEnumerable<object[]> Processing => SpecCase.In("processing");

    public static IEnumerable<object[]> Paths => SpecCase.In("paths");

    public static IEnumerable<object[]> Choice => SpecCase.In("choice");

    public static IEnumerable<object[]> Intrinsics => SpecCase.In("intrinsics");

    public static IEnumerable<object[]> Errors => SpecCase.In("errors");

    public static IEnumerable<object[]> Tasks => SpecCase.In("task");

    public static IEnumerable<object[]> Flow => SpecCase.In("flow");

    public static IEnumerable<object[]> Mocks => SpecCase.In("mocks");

    public static IEnumerable<object[]> Validation => SpecCase.In("validation");

    public static IEnumerable<object[]> Distributed => SpecCase.In("distributed");

    public static IEnumerable<object[]> Variables => SpecCase.In("variables");

    public static IEnumerable<object[]> JsonataStates => SpecCase.In("jsonata-states");

    [Theory]
    [MemberData(nameof(Pass))]
    public Task Pass_case(string id) => CaseRunner.RunAsync(SpecCase.Load(id));

    [Theory]
    [MemberData(nameof(Processing))]
    public Task Processing_case(string id) => CaseRunner.RunAsync(SpecCase.Load(id));

    [Theory]
    [MemberData(nameof(Paths))]
    public Task Path_case(string id) => CaseRunner.RunAsync(SpecCase.Load(id));

    [Theory]
    [MemberData(nameof(Choice))]
    public Task Choice_case(string id) => CaseRunner.RunAsync(SpecCase.Load(id));

    [Theory]
    [MemberData(nameof(Intrinsics))]
    public Task Intrinsic_case(string id) => CaseRunner.RunAsync(SpecCase.Load(id));

    [Theory]
    [MemberData(nameof(Errors))]
    public Task Error_case(string id) => CaseRunner.RunAsync(SpecCase.Load(id));

    [Theory]
    [MemberData(nameof(Tasks))]
    public Task Task_case(string id) => CaseRunner.RunAsync(SpecCase.Load(id));

    [Theory]
    [MemberData(nameof(Flow))]
    public Task Flow_case(string id) => CaseRunner.RunAsync(SpecCase.Load(id));

    [Theory]
    [MemberData(nameof(Mocks))]
    public Task Mock_case(string id) => CaseRunner.RunAsync(SpecCase.Load(id));

    [Theory]
    [MemberData(nameof(Validation))]
    public Task Validation_case(string id) => CaseRunner.RunAsync(SpecCase.Load(id));

    [Theory]
    [MemberData(nameof(Distributed))]
    public Task Distributed_case(string id) => CaseRunner.RunAsync(SpecCase.Load(id));

    [Theory]
    [MemberData(nameof(Variables))]
    public Task Variable_case(string id) => CaseRunner.RunAsync(SpecCase.Load(id));

    [Theory]
    [MemberData(nameof(JsonataStates))]
    public Task Jsonata_state_case(string id) => CaseRunner.RunAsync(SpecCase.Load(id));
}
