namespace Ingestion.Domain.Students;

/// <summary>The machine-readable reasons a record is rejected for. One record can carry several.</summary>
public static class ReasonCodes
{
    /// <summary>The item is not a JSON object (<c>null</c>, a number, a string, an array…).</summary>
    public const string NotAnObject = "NOT_AN_OBJECT";

    /// <summary>A required field is absent or <c>null</c>.</summary>
    public const string MissingField = "MISSING_FIELD";

    /// <summary>A required field is empty or only white space.</summary>
    public const string EmptyField = "EMPTY_FIELD";

    /// <summary>A required field holds an object, an array, a boolean, or a number where a string belongs.</summary>
    public const string WrongType = "WRONG_TYPE";

    /// <summary>StudentID has a character outside <c>[A-Za-z0-9._-]</c>, or is a number that is not a whole non-negative one.</summary>
    public const string StudentIdInvalid = "STUDENT_ID_INVALID";

    /// <summary>StudentID is longer than 64 characters.</summary>
    public const string StudentIdTooLong = "STUDENT_ID_TOO_LONG";

    /// <summary>Name is longer than 200 characters.</summary>
    public const string NameTooLong = "NAME_TOO_LONG";

    /// <summary>Department is longer than 100 characters.</summary>
    public const string DepartmentTooLong = "DEPARTMENT_TOO_LONG";

    /// <summary>Name or Department contains a control character (tab, newline, NUL…).</summary>
    public const string ControlCharacters = "CONTROL_CHARACTERS";

    /// <summary>A string holds an unpaired UTF-16 surrogate escape (<c>\ud800</c>): it is not text.</summary>
    public const string InvalidText = "INVALID_TEXT";

    /// <summary>Email is not a single plain address (display name, no or several '@', no dot in the domain…).</summary>
    public const string EmailInvalid = "EMAIL_INVALID";

    /// <summary>Email is longer than 254 characters.</summary>
    public const string EmailTooLong = "EMAIL_TOO_LONG";

    /// <summary>The record is over 350 KB (DynamoDB's 400 KB item limit, with headroom).</summary>
    public const string RecordTooLarge = "RECORD_TOO_LARGE";

    /// <summary>Two keys name the same field: they are equal, or differ only by case for a required field (<c>Email</c> and <c>email</c>).</summary>
    /// <remarks>
    /// In the pipeline only the second kind arrives: Step Functions' item reader parses the file first and keeps the
    /// last of two equal keys, so the validator sees equal keys only when it is given raw JSON.
    /// </remarks>
    public const string DuplicateField = "DUPLICATE_FIELD";
}

/// <summary>One broken rule: the code, the field it is about (null for the whole record), and a message that never quotes a name or an e-mail address.</summary>
public sealed record Reason(string Code, string? Field, string Message);
