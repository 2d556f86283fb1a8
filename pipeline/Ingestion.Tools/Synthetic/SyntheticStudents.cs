using System.Text;
using System.Text.Json;

namespace Ingestion.Tools.Synthetic;

/// <summary>The file formats an institution may export.</summary>
public enum ExportFormat
{
    Json,
    JsonLines,
    Csv,
}

/// <summary>What a generated export holds, so a run's counts can be checked against it.</summary>
public readonly record struct SyntheticExport(long Students, long Invalid, long Changed, long Bytes);

/// <summary>
/// Writes a deterministic, realistic student export of any size, streaming, for benchmarks and
/// large-file tests: the same seed and N give the same bytes every time.
/// </summary>
/// <remarks>
/// About 2% of records are invalid in varied ways (a missing field, a malformed e-mail, an
/// over-long name, control characters, a bad StudentID, a record that is not an object), and
/// every fifth student carries extra attributes. <c>changedFraction</c> alters that share of the
/// valid students (a new department or e-mail) so a second export models a nightly re-run.
/// </remarks>
public static class SyntheticStudents
{
    private static readonly string[] GivenNames =
    [
        "Ada", "Alan", "Grace", "Katherine", "Edsger", "Barbara", "Donald", "Frances", "John", "Margaret",
        "Tim", "Radia", "Ken", "Dennis", "Hedy", "Claude", "Sophie", "Mateo", "Aisha", "Wei", "Priya",
        "Olumide", "Ingrid", "Yuki", "Lucía", "Omar", "Chloé", "Nikolai", "Amara", "Siobhan",
    ];

    private static readonly string[] FamilyNames =
    [
        "Lovelace", "Turing", "Hopper", "Johnson", "Dijkstra", "Liskov", "Knuth", "Allen", "McCarthy",
        "Hamilton", "Berners-Lee", "Perlman", "Thompson", "Ritchie", "Lamarr", "Shannon", "Okafor", "García",
        "Nakamura", "Chen", "Patel", "Adeyemi", "Larsen", "O'Brien", "Rossi", "Haddad", "Dubois", "Ivanov",
        "Mensah", "Kowalski",
    ];

    private static readonly string[] Departments =
    [
        "Mathematics", "Computer Science", "Physics", "Chemistry", "Biology", "History", "Economics",
        "Philosophy", "Linguistics", "Mechanical Engineering", "Electrical Engineering", "Medicine", "Law",
        "Music", "Architecture", "Psychology",
    ];

    private static readonly string[] Domains = ["example.edu", "students.example.edu", "mail.example.ac.uk", "uni.example.org"];

    /// <summary>Writes <paramref name="count"/> students to <paramref name="output"/>.</summary>
    public static SyntheticExport Write(Stream output, long count, ExportFormat format, double changedFraction = 0, int seed = 20261124)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(changedFraction, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(changedFraction, 1);

        using var counting = new CountingStream(output);
        using var writer = new StreamWriter(counting, new UTF8Encoding(false), 1 << 16);
        var buffer = new StringBuilder(256);
        long invalid = 0, changed = 0;

        if (format == ExportFormat.Csv)
        {
            writer.Write("StudentID,Name,Department,Email,Year,Advisor\n");
        }
        else if (format == ExportFormat.Json)
        {
            writer.Write("[\n");
        }

        for (long i = 0; i < count; i++)
        {
            // Per-record generators keep every record independent of N and of the changed fraction.
            var random = new Random(StableSeed(seed, i, 0));
            var student = Student(i, random);
            if (random.NextDouble() < 0.02)
            {
                student = student with { Defect = (Defect)random.Next(1, Enum.GetValues<Defect>().Length) };
                invalid++;
            }
            else if (changedFraction > 0 && new Random(StableSeed(seed, i, 1)).NextDouble() < changedFraction)
            {
                student = student with { Department = Departments[(Array.IndexOf(Departments, student.Department) + 1) % Departments.Length] };
                changed++;
            }

            buffer.Clear();
            if (format == ExportFormat.Csv)
            {
                AppendCsv(buffer, student);
            }
            else
            {
                AppendJson(buffer, student);
            }

            if (format == ExportFormat.Json && i + 1 < count)
            {
                buffer.Append(',');
            }

            buffer.Append('\n');
            writer.Write(buffer);
        }

        if (format == ExportFormat.Json)
        {
            writer.Write("]\n");
        }

        writer.Flush();
        return new SyntheticExport(count, invalid, changed, counting.Written);
    }

    // HashCode.Combine is randomised per process; a fixed mix (SplitMix64's finaliser) keeps files identical across runs.
    private static int StableSeed(int seed, long index, int stream)
    {
        var z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)index * 0xBF58476D1CE4E5B9UL + (ulong)stream);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return (int)(z ^ (z >> 31));
    }

    private static Generated Student(long i, Random random)
    {
        var given = GivenNames[random.Next(GivenNames.Length)];
        var family = FamilyNames[random.Next(FamilyNames.Length)];
        var email = $"{Ascii(given)}.{Ascii(family)}{i}@{Domains[random.Next(Domains.Length)]}".ToLowerInvariant();
        var extras = i % 5 == 0 ? (Year: 1 + random.Next(5), Advisor: $"Prof. {FamilyNames[random.Next(FamilyNames.Length)]}") : default;
        return new Generated($"S{i:D8}", $"{given} {family}", Departments[random.Next(Departments.Length)], email, extras.Year, extras.Advisor, Defect.None);
    }

    private static string Ascii(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name.Normalize(NormalizationForm.FormD))
        {
            if (char.IsAsciiLetter(c))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static void AppendJson(StringBuilder buffer, Generated s)
    {
        if (s.Defect == Defect.NotAnObject)
        {
            buffer.Append("null");
            return;
        }

        buffer.Append("{\"StudentID\":");
        AppendJsonString(buffer, s.Defect == Defect.BadStudentId ? s.Id + " #" : s.Id);
        if (s.Defect != Defect.MissingName)
        {
            buffer.Append(",\"Name\":");
            AppendJsonString(buffer, Name(s));
        }

        buffer.Append(",\"Department\":");
        AppendJsonString(buffer, s.Department);
        buffer.Append(",\"Email\":");
        AppendJsonString(buffer, Email(s));
        if (s.Year != 0)
        {
            buffer.Append(",\"Year\":").Append(s.Year).Append(",\"Advisor\":");
            AppendJsonString(buffer, s.Advisor!);
        }

        buffer.Append('}');
    }

    private static void AppendCsv(StringBuilder buffer, Generated s)
    {
        // CSV has no "not an object": an empty StudentID stands in for an unusable row.
        var id = s.Defect switch
        {
            Defect.NotAnObject => "",
            Defect.BadStudentId => s.Id + " #",
            _ => s.Id,
        };
        AppendCsvField(buffer, id).Append(',');
        AppendCsvField(buffer, s.Defect == Defect.MissingName ? "" : Name(s)).Append(',');
        AppendCsvField(buffer, s.Department).Append(',');
        AppendCsvField(buffer, Email(s)).Append(',');
        if (s.Year != 0)
        {
            buffer.Append(s.Year).Append(',');
            AppendCsvField(buffer, s.Advisor!);
        }
        else
        {
            buffer.Append(',');
        }
    }

    private static string Name(Generated s) => s.Defect switch
    {
        Defect.NameTooLong => s.Name + new string('x', 200),
        Defect.ControlCharacter => s.Name + "\u0007",
        _ => s.Name,
    };

    private static string Email(Generated s) => s.Defect switch
    {
        Defect.EmailTwoAts => s.Email.Replace("@", "@@", StringComparison.Ordinal),
        // Only the first label of the domain: "a@students.example.edu" becomes "a@students", with no dot at all.
        Defect.EmailNoDomainDot => s.Email[..s.Email.IndexOf('.', s.Email.IndexOf('@'))],
        _ => s.Email,
    };

    private static void AppendJsonString(StringBuilder buffer, string value) =>
        buffer.Append(JsonSerializer.Serialize(value, SyntheticJsonContext.Default.String));

    private static StringBuilder AppendCsvField(StringBuilder buffer, string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0
            ? buffer.Append(value)
            : buffer.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');

    private enum Defect
    {
        None,
        NotAnObject,
        MissingName,
        BadStudentId,
        NameTooLong,
        ControlCharacter,
        EmailTwoAts,
        EmailNoDomainDot,
    }

    private sealed record Generated(string Id, string Name, string Department, string Email, int Year, string? Advisor, Defect Defect);
}
