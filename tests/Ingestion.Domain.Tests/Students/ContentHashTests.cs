using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Ingestion.Domain.Students;

namespace Ingestion.Domain.Tests.Students;

/// <summary>The content hash is stored: its canonical form may never change, whatever the JSON it is computed from.</summary>
public sealed class ContentHashTests
{
    [Theory]
    [InlineData("Maths", "Ada", "63e790a870a5f51959a89583feed747c7706755c101cf76872d3cb5fabf05c57")]
    [InlineData("Mathématiques", "Ada O'Brien + <b>", "191d16bddca17f68bb827e9c3a9c25dfcccc38ede8f200ebbe526e831ebbae74")]
    public void The_hash_of_a_student_is_the_sha256_of_its_canonical_form(string department, string name, string expected)
    {
        var student = new Student("S-1", name, department, "ada@example.edu");

        Assert.Equal(expected, ContentHash.Compute(student));
        Assert.Equal(expected, ContentHash.Compute(ReadBack(student, JavaScriptEncoder.Default)));
        Assert.Equal(expected, ContentHash.Compute(ReadBack(student, JavaScriptEncoder.UnsafeRelaxedJsonEscaping)));
    }

    [Theory]
    [InlineData("García")]
    [InlineData("tab\there \"quoted\" back\\slash")]
    [InlineData("emoji 😀 and \u2028 line separator")]
    [InlineData("<script>&amp;+'`")]
    public void A_student_hashes_the_same_once_written_as_json_however_escaped_and_read_back(string text)
    {
        var student = new Student("S-7", text, text, "ada@example.edu", $$"""{"Note":{{JsonSerializer.Serialize(text)}},"Year":2}""");

        var expected = ContentHash.Compute(student);

        Assert.Equal(expected, ContentHash.Compute(ReadBack(student, JavaScriptEncoder.Default)));
        Assert.Equal(expected, ContentHash.Compute(ReadBack(student, JavaScriptEncoder.UnsafeRelaxedJsonEscaping)));
    }

    /// <summary>The student as the store reads it from ValidateStudents' output.</summary>
    private static Student ReadBack(Student student, JavaScriptEncoder encoder)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = encoder }))
        {
            StudentJson.Write(writer, student);
        }

        using var document = JsonDocument.Parse(Encoding.UTF8.GetString(buffer.ToArray()));
        return StudentJson.Read(document.RootElement);
    }
}
