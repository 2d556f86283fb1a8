using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ingestion.Domain.Students;

namespace Ingestion.Domain.Tests.Students;

/// <summary>One test row per line of validation-cases.jsonl: a record and its expected normalised student or reasons.</summary>
public sealed class ValidationCaseTests
{
    private static readonly Lazy<Dictionary<string, JsonElement>> Cases = new(() =>
    {
        var cases = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Students", "validation-cases.jsonl")))
        {
            if (line.Length == 0)
            {
                continue;
            }

            var element = JsonDocument.Parse(line).RootElement;
            cases.Add(element.GetProperty("case").GetString()!, element);
        }

        return cases;
    });

    public static TheoryData<string> CaseNames => new(Cases.Value.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Validation_case_gives_its_expected_outcome(string name)
    {
        var testCase = Cases.Value[name];
        var record = testCase.GetProperty("record");
        var expect = testCase.GetProperty("expect");

        var result = StudentValidator.Validate(record);

        if (expect.TryGetProperty("student", out var student))
        {
            Assert.True(result.IsValid, string.Join("; ", result.Reasons));
            Assert.Empty(result.Reasons);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(student.GetRawText()), JsonNode.Parse(Written(result.Student!, record))), Written(result.Student!, record));
            Assert.Equal(result.Student!.StudentId, result.StudentId);
        }
        else
        {
            Assert.False(result.IsValid);
            var expected = expect.GetProperty("reasons").EnumerateArray()
                .Select(r => (r.GetProperty("code").GetString()!, r.GetProperty("field").GetString()))
                .ToList();
            Assert.Equal(expected, result.Reasons.Select(r => (r.Code, r.Field)).ToList());
            Assert.Equal(expect.GetProperty("studentId").GetString(), result.StudentId);
        }

        AssertMessagesQuoteNoPersonalData(record, result);
    }

    [Fact]
    public void Case_file_has_a_row_per_line()
    {
        Assert.True(Cases.Value.Count >= 50);
    }

    [Fact]
    public void Record_over_350_KB_is_rejected_as_too_large()
    {
        var record = JsonDocument.Parse(new JsonObject
        {
            ["StudentID"] = "S-1000",
            ["Name"] = "Ada Lovelace",
            ["Department"] = "Mathematics",
            ["Email"] = "ada@example.edu",
            ["Essay"] = new string('x', 350 * 1024),
        }.ToJsonString()).RootElement;

        var result = StudentValidator.Validate(record);

        Assert.Equal([(ReasonCodes.RecordTooLarge, (string?)null)], result.Reasons.Select(r => (r.Code, r.Field)));
        Assert.Equal("S-1000", result.StudentId);
    }

    [Fact]
    public void Record_just_under_the_limit_is_valid()
    {
        var record = JsonDocument.Parse($$"""{"StudentID":"S-1000","Name":"Ada","Department":"Mathematics","Email":"ada@example.edu","Essay":"{{new string('x', 350 * 1024 - 200)}}"}""").RootElement;

        Assert.True(StudentValidator.Validate(record).IsValid);
    }

    [Fact]
    public void Validated_extras_read_back_as_the_written_student()
    {
        var record = JsonDocument.Parse("""{"email":"ada@EXAMPLE.edu","Year":2,"StudentID":"S-1","Name":"Ada","Department":"Maths","Advisor":{"b":1,"a":2}}""").RootElement;
        var student = StudentValidator.Validate(record).Student!;

        var written = JsonDocument.Parse(Written(student, record)).RootElement;

        // Read back equal, so hashed equal: the store hashes the student it reads.
        Assert.Equal(student, StudentJson.Read(written));
    }

    private static string Written(Student student, JsonElement record)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            StudentJson.Write(writer, student, record);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void AssertMessagesQuoteNoPersonalData(JsonElement record, ValidationResult result)
    {
        if (record.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var property in record.EnumerateObject())
        {
            if (StudentValidator.RequiredFieldIndex(property.Name) is 1 or 3
                && property.Value.ValueKind == JsonValueKind.String
                && TryGetText(property.Value) is { Length: > 3 } secret)
            {
                Assert.All(result.Reasons, r => Assert.DoesNotContain(secret.Trim(), r.Message, StringComparison.Ordinal));
            }
        }
    }

    private static string? TryGetText(JsonElement value)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
