using Ingestion.Storage.Local.Outbox;

namespace Ingestion.Storage.Tests.Pipeline;

public sealed class MessageIdsTests
{
    [Fact]
    public void Ids_are_distinct_version_4_uuids()
    {
        var ids = Enumerable.Range(0, 10_000).Select(_ => MessageIds.New()).ToList();

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id =>
        {
            Assert.True(Guid.TryParseExact(id, "D", out _), id);
            Assert.Equal('4', id[14]);
            Assert.Contains(id[19], "89ab");
        });
    }
}
