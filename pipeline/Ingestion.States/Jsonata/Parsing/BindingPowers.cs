namespace Ingestion.States.Jsonata.Parsing;

/// <summary>Left binding powers of JSONata's infix operators (2.0.6: no <c>??</c> or <c>?:</c>).</summary>
internal static class BindingPowers
{
    public static int Of(in Token token)
    {
        if (token.Kind != TokenKind.Operator)
        {
            return 0;
        }

        return token.Text switch
        {
            "." => 75,
            "[" or "(" or "@" or "#" => 80,
            "{" => 70,
            "?" or ".." => 20,
            "+" or "-" or "&" => 50,
            "*" or "/" or "%" or "**" => 60,
            "=" or "<" or ">" or "^" or "!=" or "<=" or ">=" or "~>" or "in" => 40,
            ":=" => 10,
            "and" => 30,
            "or" => 25,
            _ => 0,
        };
    }
}
