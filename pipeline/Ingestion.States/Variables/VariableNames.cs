namespace Ingestion.States.Variables;

/// <summary>What AWS accepts as a workflow variable's name.</summary>
/// <remarks>
/// A letter or an underscore, then letters, digits or underscores, at most 80 characters; <c>states</c> is reserved
/// for JSONata's <c>$states</c>. The same rule lets a JSONPath path tell <c>$name</c> (a variable) from <c>$.name</c>.
/// </remarks>
internal static class VariableNames
{
    public const int MaxLength = 80;

    public const string Reserved = "states";

    public static bool IsStart(char c) => char.IsLetter(c) || c == '_';

    public static bool IsPart(char c) => char.IsLetterOrDigit(c) || c == '_';

    /// <summary>Null when <paramref name="name"/> is a valid variable name, or why it is not.</summary>
    public static string? Problem(string name)
    {
        if (name.Length is 0 or > MaxLength)
        {
            return $"a variable name must have 1 to {MaxLength} characters";
        }

        if (!IsStart(name[0]) || name.Skip(1).Any(c => !IsPart(c)))
        {
            return $"'{name}' is not a variable name: a letter or '_' first, then letters, digits or '_'";
        }

        return name == Reserved ? "'states' is reserved for $states and cannot be assigned" : null;
    }
}
