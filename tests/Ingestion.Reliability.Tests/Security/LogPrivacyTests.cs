using Ingestion.Domain.Storage;
using Ingestion.Local.Events;
using Ingestion.Reliability.Tests.Corpus;
using Ingestion.Reliability.Tests.Support;

namespace Ingestion.Reliability.Tests.Security;

/// <summary>After the whole bad-input corpus has run through one data folder, no log line holds a name or an e-mail address from it.</summary>
public sealed class LogPrivacyTests
{
    [Fact]
    public async Task No_name_or_email_address_of_the_corpus_appears_in_any_log_line()
    {
        var (names, emails) = CorpusPersonalData.Collect();
        Assert.InRange(names.Count, 20, int.MaxValue);
        Assert.InRange(emails.Count, 40, int.MaxValue);
        Assert.Contains("Ada Lovelace", names);
        Assert.Contains("ada+tag@Example.EDU", emails);

        await using var scenario = LocalScenario.Create();
        var pipeline = scenario.Pipeline;
        foreach (var entry in BadInputManifest.Load().Files)
        {
            var path = LocalScenario.TestData("bad/" + entry.File);
            if (entry.Key is null)
            {
                await pipeline.IngestFileAsync(path);
                continue;
            }

            var key = entry.Key.Replace("{outside}", Path.Combine(scenario.Root, "outside"), StringComparison.Ordinal);
            var info = new ObjectInfo(pipeline.BucketName, key, "0123456789abcdef0123456789abcdef", "v", new FileInfo(path).Length, scenario.Clock.GetUtcNow());
            var @event = ObjectCreatedEvent.Create(info, scenario.Clock.GetUtcNow(), pipeline.Resources.Region, pipeline.Resources.AccountId);
            await (pipeline.Router.Route(@event).SingleOrDefault() ?? pipeline.Engine.Start(pipeline.IngestFile, @event)).WaitAsync();
        }

        // The names and addresses did go through the pipeline (they are stored), so their absence below means something.
        var stored = await scenario.StudentsAsync();
        Assert.Contains(stored.Values, s => names.Contains(s.Name));
        Assert.Contains(stored.Values, s => emails.Contains(s.Email, StringComparer.OrdinalIgnoreCase));

        // The functions' logs and metrics, and what the registrar is sent, line by line.
        var lines = File.ReadLines(pipeline.Data.HandlersLog)
            .Concat(File.ReadLines(pipeline.Data.MetricsLog))
            .Concat((await scenario.OutboxAsync("AdminAlerts")).SelectMany(m => $"{m.Subject}\n{m.Message}".Split('\n')))
            .ToList();
        Assert.InRange(lines.Count, 200, int.MaxValue);
        foreach (var line in lines)
        {
            Assert.DoesNotContain(names, name => line.Contains(name, StringComparison.Ordinal));
            Assert.DoesNotContain(emails, email => line.Contains(email, StringComparison.OrdinalIgnoreCase));
        }
    }
}
