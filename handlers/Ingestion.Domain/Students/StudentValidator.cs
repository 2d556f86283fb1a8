using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Ingestion.Domain.Students;

/// <summary>The result of validating one record: a normalised student, or the reasons it is rejected.</summary>
/// <param name="StudentId">The normalised StudentID when it is usable (even if other fields are not), else null.</param>
public readonly record struct ValidationResult(Student? Student, string? StudentId, IReadOnlyList<Reason> Reasons)
{
    public bool IsValid => Student is not null;
}

/// <summary>The record rules: required fields, their shapes and lengths, and normalisation.</summary>
/// <remarks>
/// Required field names match case-insensitively in every format and come out in their canonical spelling;
/// other fields are kept as they came. Strings are trimmed; the e-mail domain is lower-cased; a numeric StudentID
/// becomes its string form (leading zeros in strings are kept). Every broken rule is reported, not just the first.
/// </remarks>
public static class StudentValidator
{
    public const int MaxRecordBytes = 350 * 1024;
    public const int MaxStudentIdLength = 64;
    public const int MaxNameLength = 200;
    public const int MaxDepartmentLength = 100;
    public const int MaxEmailLength = 254;
    private const int MaxEmailLocalLength = 64;

    private static readonly string[] Required = [FieldNames.StudentId, FieldNames.Name, FieldNames.Department, FieldNames.Email];

    /// <summary>Which required field a key names (case-insensitively), or -1 for an extra field.</summary>
    public static int RequiredFieldIndex(string name)
    {
        for (var i = 0; i < Required.Length; i++)
        {
            if (string.Equals(name, Required[i], StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    public static ValidationResult Validate(JsonElement record)
    {
        if (record.ValueKind != JsonValueKind.Object)
        {
            var kind = record.ValueKind switch
            {
                JsonValueKind.Array => "an array",
                JsonValueKind.String => "a string",
                JsonValueKind.Number => "a number",
                JsonValueKind.True or JsonValueKind.False => "a boolean",
                _ => "null",
            };
            return new ValidationResult(null, null, [new Reason(ReasonCodes.NotAnObject, null, $"The record is {kind}, not an object.")]);
        }

        var reasons = new List<Reason>(0);
        var size = JsonMarshal.GetRawUtf8Value(record).Length;
        if (size > MaxRecordBytes)
        {
            reasons.Add(new Reason(ReasonCodes.RecordTooLarge, null, $"The record is {size} bytes, over the limit of {MaxRecordBytes}."));
        }

        var found = new JsonElement?[Required.Length];
        var hasExtras = false;
        HashSet<string>? extraNames = null;
        try
        {
            foreach (var property in record.EnumerateObject())
            {
                var index = RequiredFieldIndex(property.Name);
                if (index >= 0)
                {
                    if (found[index] is not null)
                    {
                        reasons.Add(new Reason(ReasonCodes.DuplicateField, Required[index], $"{Required[index]} appears more than once (keys differing only by case name the same field)."));
                    }
                    else
                    {
                        found[index] = property.Value;
                    }

                    continue;
                }

                hasExtras = true;
                extraNames ??= new HashSet<string>(StringComparer.Ordinal);
                if (!extraNames.Add(property.Name))
                {
                    reasons.Add(new Reason(ReasonCodes.DuplicateField, property.Name, $"{property.Name} appears more than once."));
                }

                if (!IsValidText(property.Value))
                {
                    reasons.Add(new Reason(ReasonCodes.InvalidText, property.Name, $"{property.Name} holds an unpaired UTF-16 surrogate."));
                }
            }
        }
        catch (InvalidOperationException)
        {
            // A key with an unpaired surrogate escape cannot even be named.
            reasons.Add(new Reason(ReasonCodes.InvalidText, null, "A field name holds an unpaired UTF-16 surrogate."));
            return new ValidationResult(null, null, reasons);
        }

        var studentId = ReadStudentId(found[0], reasons);
        var name = ReadText(found[1], FieldNames.Name, MaxNameLength, ReasonCodes.NameTooLong, reasons);
        var department = ReadText(found[2], FieldNames.Department, MaxDepartmentLength, ReasonCodes.DepartmentTooLong, reasons);
        var email = ReadEmail(found[3], reasons);

        if (reasons.Count > 0 || studentId is null || name is null || department is null || email is null)
        {
            return new ValidationResult(null, studentId, reasons);
        }

        var extras = hasExtras ? ExtrasJson(record) : null;
        return new ValidationResult(new Student(studentId, name, department, email, extras), studentId, []);
    }

    /// <summary>The fields beyond the required ones, as a JSON object in the order they came.</summary>
    private static string ExtrasJson(JsonElement record)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in record.EnumerateObject())
            {
                if (RequiredFieldIndex(property.Name) < 0)
                {
                    property.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Reads a required string field: present, a string, valid text, trimmed, not empty. Null when it breaks a rule.</summary>
    private static string? ReadString(JsonElement? value, string field, List<Reason> reasons)
    {
        if (value is not { } element || element.ValueKind == JsonValueKind.Null)
        {
            reasons.Add(new Reason(ReasonCodes.MissingField, field, $"{field} is missing."));
            return null;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            reasons.Add(new Reason(ReasonCodes.WrongType, field, $"{field} must be a string, not {KindName(element.ValueKind)}."));
            return null;
        }

        string text;
        try
        {
            text = element.GetString()!;
        }
        catch (InvalidOperationException)
        {
            reasons.Add(new Reason(ReasonCodes.InvalidText, field, $"{field} holds an unpaired UTF-16 surrogate."));
            return null;
        }

        text = text.Trim();
        if (text.Length == 0)
        {
            reasons.Add(new Reason(ReasonCodes.EmptyField, field, $"{field} is empty."));
            return null;
        }

        return text;
    }

    private static string? ReadStudentId(JsonElement? value, List<Reason> reasons)
    {
        if (value is { ValueKind: JsonValueKind.Number } number)
        {
            var raw = JsonMarshal.GetRawUtf8Value(number);
            foreach (var b in raw)
            {
                if (b is < (byte)'0' or > (byte)'9')
                {
                    reasons.Add(new Reason(ReasonCodes.StudentIdInvalid, FieldNames.StudentId, "StudentID is a number that is not a whole non-negative number."));
                    return null;
                }
            }

            if (raw.Length > MaxStudentIdLength)
            {
                reasons.Add(new Reason(ReasonCodes.StudentIdTooLong, FieldNames.StudentId, $"StudentID is {raw.Length} characters, over the limit of {MaxStudentIdLength}."));
                return null;
            }

            return Encoding.ASCII.GetString(raw);
        }

        var text = ReadString(value, FieldNames.StudentId, reasons);
        if (text is null)
        {
            return null;
        }

        var ok = true;
        if (text.Length > MaxStudentIdLength)
        {
            reasons.Add(new Reason(ReasonCodes.StudentIdTooLong, FieldNames.StudentId, $"StudentID is {text.Length} characters, over the limit of {MaxStudentIdLength}."));
            ok = false;
        }

        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                reasons.Add(new Reason(ReasonCodes.StudentIdInvalid, FieldNames.StudentId, "StudentID may hold only the letters A-Z and a-z, digits, '.', '_' and '-'."));
                ok = false;
                break;
            }
        }

        return ok ? text : null;
    }

    private static string? ReadText(JsonElement? value, string field, int maxLength, string tooLongCode, List<Reason> reasons)
    {
        var text = ReadString(value, field, reasons);
        if (text is null)
        {
            return null;
        }

        var ok = true;
        var length = CountCharacters(text);
        if (length > maxLength)
        {
            reasons.Add(new Reason(tooLongCode, field, $"{field} is {length} characters, over the limit of {maxLength}."));
            ok = false;
        }

        if (text.AsSpan().ContainsAnyInRange('\u0000', '\u001f') || text.AsSpan().ContainsAnyInRange('\u007f', '\u009f'))
        {
            reasons.Add(new Reason(ReasonCodes.ControlCharacters, field, $"{field} contains a control character."));
            ok = false;
        }

        return ok ? text : null;
    }

    private static string? ReadEmail(JsonElement? value, List<Reason> reasons)
    {
        var text = ReadString(value, FieldNames.Email, reasons);
        if (text is null)
        {
            return null;
        }

        var ok = true;
        if (text.Length > MaxEmailLength)
        {
            reasons.Add(new Reason(ReasonCodes.EmailTooLong, FieldNames.Email, $"Email is {text.Length} characters, over the limit of {MaxEmailLength}."));
            ok = false;
        }

        if (EmailProblem(text) is { } problem)
        {
            reasons.Add(new Reason(ReasonCodes.EmailInvalid, FieldNames.Email, problem));
            return null;
        }

        if (!ok)
        {
            return null;
        }

        var at = text.IndexOf('@', StringComparison.Ordinal);
        var domain = text.AsSpan(at + 1);
        if (System.Text.Ascii.IsValid(domain) && !domain.ContainsAnyInRange('A', 'Z'))
        {
            // Already lower case, as nearly every address is: no copy.
            return text;
        }

        return string.Concat(text.AsSpan(0, at + 1), text[(at + 1)..].ToLowerInvariant());
    }

    /// <summary>What makes the text not a single plain address, or null when it is one. Never quotes the address.</summary>
    private static string? EmailProblem(string text)
    {
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or '"' or '(' or ')' or ',' or ';' or ':' or '[' or ']' or '\\')
            {
                return "Email must be a plain address: no display name, spaces, quotes, brackets or separators.";
            }
        }

        var ats = text.AsSpan().Count('@');
        if (ats != 1)
        {
            return ats == 0 ? "Email has no '@'." : $"Email has {(ats == 2 ? "two" : ats.ToString())} '@'.";
        }

        var at = text.IndexOf('@', StringComparison.Ordinal);
        var local = text.AsSpan(0, at);
        var domain = text.AsSpan(at + 1);
        if (local.IsEmpty)
        {
            return "Email has nothing before the '@'.";
        }

        if (local.Length > MaxEmailLocalLength)
        {
            return $"Email's part before the '@' is over {MaxEmailLocalLength} characters.";
        }

        if (local[0] == '.' || local[^1] == '.' || local.Contains("..", StringComparison.Ordinal))
        {
            return "Email's part before the '@' starts or ends with a dot, or has two dots in a row.";
        }

        if (!domain.Contains('.'))
        {
            return "Email's domain has no dot.";
        }

        foreach (var range in domain.Split('.'))
        {
            var label = domain[range];
            if (label.IsEmpty || label.Length > 63)
            {
                return "Email's domain has an empty or over-long part.";
            }

            if (label[0] == '-' || label[^1] == '-')
            {
                return "Email's domain has a part that starts or ends with '-'.";
            }

            foreach (var c in label)
            {
                if (!(char.IsLetterOrDigit(c) || c == '-'))
                {
                    return "Email's domain holds a character other than letters, digits, '-' and '.'.";
                }
            }
        }

        return null;
    }

    /// <summary>Counts Unicode scalar values, so a character outside the BMP counts once.</summary>
    private static int CountCharacters(string text)
    {
        var length = text.Length;
        foreach (var c in text)
        {
            if (char.IsLowSurrogate(c))
            {
                length--;
            }
        }

        return length;
    }

    private static bool IsValidText(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                // Only an escaped surrogate can be invalid: the reader has already checked the UTF-8.
                if (JsonMarshal.GetRawUtf8Value(value).IndexOf("\\u"u8) < 0)
                {
                    return true;
                }

                try
                {
                    _ = value.GetString();
                    return true;
                }
                catch (InvalidOperationException)
                {
                    return false;
                }

            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    if (!IsValidText(property.Value))
                    {
                        return false;
                    }
                }

                return true;
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                {
                    if (!IsValidText(item))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return true;
        }
    }

    private static string KindName(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
