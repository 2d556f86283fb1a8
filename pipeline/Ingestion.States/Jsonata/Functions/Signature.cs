using System.Text;
using System.Text.RegularExpressions;
using Ingestion.States.Jsonata.Evaluation;
using Ingestion.States.Jsonata.Values;

namespace Ingestion.States.Jsonata.Functions;

/// <summary>
/// A function signature such as <c>&lt;s-nn?:s&gt;</c>: validates arguments and fills a missing
/// first argument from the context ('-'), wrapping single values where an array is expected.
/// </summary>
/// <remarks>
/// Arguments are reduced to one type letter each and matched against a regular expression built
/// from the signature, so optional ('?') and variadic ('+') parameters are resolved by the regex engine.
/// </remarks>
internal sealed class Signature
{
    private readonly List<Parameter> _parameters;
    private readonly Regex _regex;

    private Signature(List<Parameter> parameters, string text, int position)
    {
        _parameters = parameters;
        var pattern = new StringBuilder("^");
        foreach (var p in parameters)
        {
            pattern.Append('(').Append(p.Regex).Append(')');
        }

        pattern.Append('$');
        try
        {
            _regex = new Regex(pattern.ToString(), RegexOptions.CultureInvariant);
        }
        catch (ArgumentException)
        {
            // Modifiers stacked in a way no argument list can match, such as "n-+".
            throw JsonataErrors.Create("S0402", $"Invalid combination of modifiers in signature: {text}", position);
        }
    }

    public int ParameterCount => _parameters.Count;

    public static Signature Parse(string text, int position)
    {
        var parameters = new List<Parameter>();
        var i = 1;
        while (i < text.Length)
        {
            var c = text[i];
            if (c is ':' or '>')
            {
                break;
            }

            switch (c)
            {
                case 'b' or 'n' or 's' or 'l' or 'o':
                    parameters.Add(new Parameter(c, $"[{c}m]"));
                    break;
                case 'a':
                    parameters.Add(new Parameter(c, "[asnblfom]"));
                    break;
                case 'f':
                    parameters.Add(new Parameter(c, "f"));
                    break;
                case 'x':
                    parameters.Add(new Parameter(c, "[asnblfom]"));
                    break;
                case 'j':
                    parameters.Add(new Parameter(c, "[asnblom]"));
                    break;
                case '(':
                    var close = text.IndexOf(')', i);
                    if (close < 0)
                    {
                        throw JsonataErrors.Create("S0402", $"Unterminated choice group in signature: {text}", position);
                    }

                    if (text[(i + 1)..close].Any(c => !"bnsloafxj".Contains(c, StringComparison.Ordinal)))
                    {
                        throw JsonataErrors.Create("S0402", text.AsSpan(i, close - i).Contains('<')
                            ? $"Choice groups containing parameterized types are not supported: {text}"
                            : $"Choice groups may hold only type letters: {text}", position);
                    }

                    parameters.Add(new Parameter('(', $"[{text[(i + 1)..close]}m]"));
                    i = close;
                    break;
                case '<':
                    var depth = 1;
                    var end = i + 1;
                    while (end < text.Length && depth > 0)
                    {
                        depth += text[end] == '<' ? 1 : text[end] == '>' ? -1 : 0;
                        end++;
                    }

                    var owner = parameters.Count > 0 ? parameters[^1] : null;
                    if (owner is null || owner.Type is not ('a' or 'f') || depth != 0 || end - i < 3)
                    {
                        throw JsonataErrors.Create("S0401", $"Type parameters can only be applied to functions and arrays: {text}", position);
                    }

                    owner.Subtype = text[(i + 1)..(end - 1)];
                    i = end - 1;
                    break;
                case '?' or '+' or '-' when parameters.Count == 0:
                    throw JsonataErrors.Create("S0402", $"A signature modifier must follow a type: {text}", position);
                case '?':
                    parameters[^1].Regex += "?";
                    break;
                case '+':
                    parameters[^1].Regex += "+";
                    break;
                case '-':
                    var contextual = parameters[^1];
                    contextual.ContextRegex = new Regex(contextual.Regex, RegexOptions.CultureInvariant);
                    contextual.Regex += "?";
                    break;
                default:
                    throw JsonataErrors.Create("S0402", $"Choice groups containing parameterized types are not supported: {text}", position);
            }

            i++;
        }

        return new Signature(parameters, text, position);
    }

    public object?[] Validate(object?[] args, object? context)
    {
        if (context is JsArray { OuterWrapper: true, Count: > 0 } wrapper)
        {
            context = wrapper[0];
        }

        var supplied = new StringBuilder(args.Length);
        foreach (var arg in args)
        {
            supplied.Append(JsValues.Symbol(arg));
        }

        var symbols = supplied.ToString();
        var match = _regex.Match(symbols);
        if (!match.Success)
        {
            throw ValidationError(args, symbols);
        }

        var validated = new List<object?>(args.Length + 1);
        var argIndex = 0;
        for (var p = 0; p < _parameters.Count; p++)
        {
            var parameter = _parameters[p];
            var matched = match.Groups[p + 1].Value;
            if (matched.Length == 0)
            {
                if (parameter.ContextRegex is not null)
                {
                    if (!parameter.ContextRegex.IsMatch(JsValues.Symbol(context).ToString()))
                    {
                        throw JsonataErrors.Create("T0411", $"Context value is not a compatible type with argument {argIndex + 1} of function");
                    }

                    validated.Add(context);
                }
                else
                {
                    validated.Add(argIndex < args.Length ? args[argIndex] : null);
                    argIndex++;
                }

                continue;
            }

            foreach (var single in matched)
            {
                var arg = argIndex < args.Length ? args[argIndex] : null;
                if (parameter.Type == 'a')
                {
                    if (single == 'm')
                    {
                        arg = null;
                    }
                    else
                    {
                        CheckArraySubtype(parameter, single, matched, arg, argIndex);
                        if (single != 'a')
                        {
                            arg = new JsArray { arg };
                        }
                    }
                }

                validated.Add(arg);
                argIndex++;
            }
        }

        return [.. validated];
    }

    private static void CheckArraySubtype(Parameter parameter, char single, string matched, object? arg, int argIndex)
    {
        if (parameter.Subtype is not { } subtype)
        {
            return;
        }

        var ok = true;
        if (single != 'a' && matched != subtype)
        {
            ok = false;
        }
        else if (single == 'a' && arg is JsArray { Count: > 0 } array)
        {
            var itemType = JsValues.Symbol(array[0]);
            ok = itemType == subtype[0] && array.All(v => JsValues.Symbol(v) == itemType);
        }

        if (!ok)
        {
            throw JsonataErrors.Create("T0412", $"Argument {argIndex + 1} of function must be an array of {TypeName(subtype[0])}");
        }
    }

    private static string TypeName(char symbol) => symbol switch
    {
        'a' => "arrays",
        'b' => "booleans",
        'f' => "functions",
        'n' => "numbers",
        'o' => "objects",
        's' => "strings",
        _ => "values",
    };

    private JsonataException ValidationError(object?[] args, string symbols)
    {
        var partial = new StringBuilder("^");
        var goodTo = 0;
        foreach (var parameter in _parameters)
        {
            partial.Append(parameter.Regex);
            var m = Regex.Match(symbols, partial.ToString(), RegexOptions.CultureInvariant);
            if (!m.Success)
            {
                break;
            }

            goodTo = m.Length;
        }

        _ = args;
        return JsonataErrors.Create("T0410", $"Argument {goodTo + 1} of function does not match function signature");
    }

    private sealed class Parameter
    {
        public Parameter(char type, string regex)
        {
            Type = type;
            Regex = regex;
        }

        public char Type { get; }

        public string Regex { get; set; }

        public Regex? ContextRegex { get; set; }

        public string? Subtype { get; set; }
    }
}
