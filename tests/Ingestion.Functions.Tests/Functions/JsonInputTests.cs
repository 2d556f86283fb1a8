using System.Text;
using Ingestion.Domain;

namespace Ingestion.Functions.Tests.Functions;

public sealed class JsonInputTests
{
    [Fact]
    public async Task A_memory_stream_whose_buffer_is_visible_is_parsed_in_place_from_its_position()
    {
        var bytes = Encoding.UTF8.GetBytes("""xx{"file":{"key":"a.json"}}""");
        using var stream = new MemoryStream(bytes, 0, bytes.Length, writable: false, publiclyVisible: true) { Position = 2 };

        using var document = await JsonInput.ParseAsync(stream, "StoreStudents", CancellationToken.None);

        Assert.Equal("a.json", JsonInput.Required(document.RootElement, "file.key").GetString());
    }

    [Fact]
    public async Task Input_that_is_not_json_names_the_function_whichever_way_it_is_read()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"file":""");
        using var visible = new MemoryStream(bytes, 0, bytes.Length, writable: false, publiclyVisible: true);
        using var hidden = new MemoryStream(bytes, writable: false);

        foreach (var stream in new[] { visible, hidden })
        {
            var error = await Assert.ThrowsAsync<InvalidHandlerInputException>(() => JsonInput.ParseAsync(stream, "StoreStudents", CancellationToken.None));
            Assert.StartsWith("StoreStudents input is not JSON", error.Message, StringComparison.Ordinal);
        }
    }
}
