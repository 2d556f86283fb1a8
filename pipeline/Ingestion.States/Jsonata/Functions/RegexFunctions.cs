using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Ingestion.States.Jsonata.Evaluation;
using Ingestion.States.Jsonata.Values;

namespace Ingestion.States.Jsonata.Functions;

/// <summary>$match, $replace, $split and $contains with regex or string patterns.</summary>
internal static class RegexFunctions
{
    /// <summary>Successive matches as a JavaScript global regex yields them; a later empty match is an error (D1004).</summary>
    public static IEnumerable<Match> Matches(Regex regex, string s)
    {
        var match = regex.Match(s, 0);
        if (!match.Success)
        {
            yield break;
        }

        yield return match;
        while (true)
        {
            var lastIndex = match.Index + match.Length;
            if (lastIndex >= s.Length)
            {
                yield break;
            }

            match = regex.Match(s, lastIndex);
            if (!match.Success)
            {
                yield break;
            }

            if (match.Length == 0)
            {
                throw JsonataErrors.Create("D1004", "Regular expression matches zero length string");
            }

            yield return match;
        }
    }

    /// <summary>The matches of a regex literal, or of a custom matcher function returning {match, start, end, groups, next}.</summary>
    public static IEnumerable<MatchResult> Find(Evaluator evaluator, object? matcher, string s)
    {
        if (matcher is RegexFunction regex)
        {
            foreach (var m in Matches(regex.Regex, s))
            {
                yield return new MatchResult(m.Value, m.Index, Groups(m));
            }

            yield break;
        }

        var result = evaluator.Apply(matcher, [s], null);
        while (result is not null)
        {
            if (result is not JsObject obj || obj.GetValueOrDefault("start") is not double start || obj.GetValueOrDefault("match") is not string value)
            {
                throw JsonataErrors.Create("T1010", "The matcher function argument passed to function does not return the correct object structure");
            }

            yield return new MatchResult(value, (int)start, obj.GetValueOrDefault("groups") as JsArray ?? []);
            if (obj.GetValueOrDefault("next") is not JsFunction next)
            {
                yield break;
            }

            result = evaluator.Apply(next, [], null);
        }
    }

    private static JsArray Groups(Match match)
    {
        var groups = new JsArray();
        for (var g = 1; g < match.Groups.Count; g++)
        {
            groups.Add(match.Groups[g].Success ? match.Groups[g].Value : null);
        }

        return groups;
    }

    private static JsObject ToObject(MatchResult match) => new()
    {
        ["match"] = match.Value,
        ["index"] = (double)match.Index,
        ["groups"] = match.Groups,
    };

    public static object? MatchObject(Regex regex, string? s, int start)
    {
        if (s is null)
        {
            return null;
        }

        var match = regex.Match(s, start);
        return match.Success ? ToObject(match, includeEnd: true) : null;
    }

    private static JsObject ToObject(Match match, bool includeEnd)
    {
        var result = new JsObject { ["match"] = match.Value, [includeEnd ? "start" : "index"] = (double)match.Index };
        if (includeEnd)
        {
            result["end"] = (double)(match.Index + match.Length);
        }

        result["groups"] = Groups(match);
        return result;
    }

    public static object? Match(Evaluator evaluator, object?[] a)
    {
        if (a[0] is not string s)
        {
            return null;
        }

        var limit = a.Length > 2 ? a[2] as double? : null;
        if (limit < 0)
        {
            throw JsonataErrors.Create("D3040", "Third argument of match function must evaluate to a positive number");
        }

        var result = JsArray.Sequence();
        if (limit is null or > 0)
        {
            foreach (var match in Find(evaluator, a[1], s))
            {
                if (limit is { } l && result.Count >= l)
                {
                    break;
                }

                result.Add(ToObject(match));
            }
        }

        return result;
    }

    public static object? Contains(Evaluator evaluator, object?[] a)
    {
        if (a[0] is not string s)
        {
            return null;
        }

        return a[1] is string token ? s.Contains(token, StringComparison.Ordinal) : Find(evaluator, a[1], s).Any();
    }

    public static object? Split(Evaluator evaluator, object?[] a)
    {
        if (a[0] is not string s)
        {
            return null;
        }

        var limit = a.Length > 2 ? a[2] as double? : null;
        if (limit < 0)
        {
            throw JsonataErrors.Create("D3020", "Third argument of split function must evaluate to a positive number");
        }

        var result = new JsArray();
        if (a[1] is string separator)
        {
            IEnumerable<string> parts = separator.Length == 0
                ? s.Select(c => c.ToString())
                : s.Split(separator);
            foreach (var part in parts)
            {
                // String.prototype.split truncates its limit to an integer.
                if (limit is { } l && result.Count >= Math.Floor(l))
                {
                    break;
                }

                result.Add(part);
            }

            return result;
        }

        var start = 0;
        var count = 0;
        foreach (var match in Find(evaluator, a[1], s))
        {
            if (limit is { } l && count >= l)
            {
                break;
            }

            result.Add(s[start..match.Index]);
            start = match.Index + match.Value.Length;
            count++;
        }

        if (limit is null || count < limit)
        {
            result.Add(s[start..]);
        }

        return result;
    }

    public static object? Replace(Evaluator evaluator, object?[] a)
    {
        if (a[0] is not string s)
        {
            return null;
        }

        if (a[1] is "")
        {
            throw JsonataErrors.Create("D3010", "Second argument of replace function cannot be an empty string");
        }

        var limit = a.Length > 3 ? a[3] as double? : null;
        if (limit < 0)
        {
            throw JsonataErrors.Create("D3011", "Fourth argument of replace function must evaluate to a positive number");
        }

        var replacement = a[2];
        var result = new StringBuilder();
        var position = 0;
        var count = 0;
        if (a[1] is string pattern)
        {
            var index = s.IndexOf(pattern, StringComparison.Ordinal);
            while (index >= 0 && (limit is null || count < limit))
            {
                result.Append(s, position, index - position).Append(replacement as string);
                position = index + pattern.Length;
                count++;
                index = s.IndexOf(pattern, position, StringComparison.Ordinal);
            }

            return result.Append(s, position, s.Length - position).ToString();
        }

        foreach (var match in Find(evaluator, a[1], s))
        {
            if (limit is { } l && count >= l)
            {
                break;
            }

            result.Append(s, position, match.Index - position);
            if (replacement is string text)
            {
                result.Append(Substitute(text, match));
            }
            else
            {
                var replaced = evaluator.Apply(replacement, [ToObject(match)], null);
                if (replaced is not string r)
                {
                    throw JsonataErrors.Create("D3012", "Attempted to replace a matched string with a non-string value");
                }

                result.Append(r);
            }

            position = match.Index + match.Value.Length;
            count++;
        }

        return result.Append(s, position, s.Length - position).ToString();
    }

    /// <summary>Expands $0, $n and $$ in a replacement string; a group number takes as many digits as the group count allows.</summary>
    private static string Substitute(string replacement, MatchResult match)
    {
        var groupCount = match.Groups.Count;
        var sb = new StringBuilder();
        var position = 0;
        var index = replacement.IndexOf('$', position);
        while (index >= 0 && position < replacement.Length)
        {
            sb.Append(replacement, position, index - position);
            position = index + 1;
            var next = position < replacement.Length ? replacement[position] : '\0';
            if (next == '$')
            {
                sb.Append('$');
                position++;
            }
            else if (next == '0')
            {
                sb.Append(match.Value);
                position++;
            }
            else
            {
                var maxDigits = groupCount == 0 ? 1 : (int)Math.Floor(Math.Log10(groupCount)) + 1;
                var group = LeadingInteger(replacement, position, maxDigits);
                if (maxDigits > 1 && group > groupCount)
                {
                    group = LeadingInteger(replacement, position, maxDigits - 1);
                }

                if (group is { } g)
                {
                    if (groupCount > 0 && g >= 1 && g <= groupCount && match.Groups[g - 1] is string submatch)
                    {
                        sb.Append(submatch);
                    }

                    position += g.ToString(CultureInfo.InvariantCulture).Length;
                }
                else
                {
                    sb.Append('$');
                }
            }

            index = replacement.IndexOf('$', position);
        }

        if (position < replacement.Length)
        {
            sb.Append(replacement, position, replacement.Length - position);
        }

        return sb.ToString();
    }

    /// <summary>parseInt over at most <paramref name="maxDigits"/> characters: the leading digits, or null when there are none.</summary>
    private static int? LeadingInteger(string s, int start, int maxDigits)
    {
        var end = Math.Min(s.Length, start + maxDigits);
        var value = 0;
        var any = false;
        for (var i = start; i < end && char.IsAsciiDigit(s[i]); i++)
        {
            value = (value * 10) + (s[i] - '0');
            any = true;
        }

        return any ? value : null;
    }
}

/// <summary>One match: the text, where it starts, and the captured groups.</summary>
internal readonly record struct MatchResult(string Value, int Index, JsArray Groups);
