namespace Ingestion.Domain.Students;

/// <summary>A valid, normalised student record.</summary>
/// <param name="StudentId">1–64 characters of <c>[A-Za-z0-9._-]</c>.</param>
/// <param name="ExtrasJson">
/// The fields beyond the four required ones, as a JSON object in the order they came, or <see langword="null"/>
/// when there are none. Never silently dropped.
/// </param>
public sealed record Student(string StudentId, string Name, string Department, string Email, string? ExtrasJson = null)
{
    /// <summary>The canonical spellings of the required fields, in output order.</summary>
    public static readonly IReadOnlyList<string> RequiredFields = [FieldNames.StudentId, FieldNames.Name, FieldNames.Department, FieldNames.Email];
}

/// <summary>The canonical field names of a student record.</summary>
public static class FieldNames
{
    public const string StudentId = "StudentID";
    public const string Name = "Name";
    public const string Department = "Department";
    public const string Email = "Email";
}
