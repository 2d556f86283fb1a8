using Ingestion.Domain.Storage;
using Ingestion.Domain.Students;
using Ingestion.Storage.Local.Sqlite;

namespace Ingestion.Storage.Tests.Support;

/// <summary>The test assembly's own entry point: lets a test start this assembly as a second writer process.</summary>
/// <remarks>The test runner never calls it; <c>dotnet Ingestion.Storage.Tests.dll store-writer DB W N</c> does.</remarks>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is not ["store-writer", var path, var writerText, var countText])
        {
            await Console.Error.WriteLineAsync("usage: store-writer DB WRITER STUDENTS");
            return 2;
        }

        var writer = int.Parse(writerText);
        var students = int.Parse(countText);

        // Start together with the other writer, so the two really race.
        var go = path + ".go";
        while (!File.Exists(go))
        {
            await Task.Delay(5);
        }

        using var store = new SqliteStudentStore(path);
        var t0 = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
        for (var export = 0; export < 5; export++)
        {
            var source = new StudentSource("incoming/students.json", $"w{writer}-e{export}", t0.AddHours(writer * 10 + export));
            for (var start = 0; start < students; start += 50)
            {
                var batch = Enumerable.Range(start, Math.Min(50, students - start))
                    .Select(i => IncomingStudent.Create(i, new Student($"S-{i:D5}", $"Student {i} w{writer} e{export}", "Physics", $"s{i}@example.edu")))
                    .ToList();
                await store.StoreBatchAsync(source, batch);
            }
        }

        return 0;
    }
}
