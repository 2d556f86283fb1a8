namespace Ingestion.States.Tests.Jsonata;

/// <summary>The project's own JSONata cases (Jsonata/Cases/&lt;area&gt;/), in the reference suite's format.</summary>
public sealed class JsonataCaseTests
{
    private static string CasesRoot => Path.Combine(AppContext.BaseDirectory, "Jsonata", "Cases");

    public static IEnumerable<object[]> Cases() => JsonataCase.Ids(CasesRoot).Select(id => new object[] { id });

    [Theory]
    [MemberData(nameof(Cases))]
    public void Jsonata_case(string id) => JsonataCaseRunner.Run(JsonataCase.Load(CasesRoot, null, id));
}
