using Ingestion.States.Jsonata.Ast;
using Ingestion.States.Jsonata.Evaluation;
using Ingestion.States.Jsonata.Functions;

namespace Ingestion.States.Jsonata.Parsing;

/// <summary>A Pratt parser producing the raw syntax tree; <see cref="TreeBuilder"/> then shapes it for evaluation.</summary>
internal sealed class Parser
{
    private readonly Lexer _lexer;
    private Token _current;

    private Parser(string source)
    {
        _lexer = new Lexer(source);
        _current = _lexer.Next(regexAllowed: true);
    }

    public static Node Parse(string source)
    {
        var parser = new Parser(source);
        var root = parser.Expression(0);
        if (parser._current.Kind != TokenKind.End)
        {
            JsonataErrors.Throw("S0201", $"Syntax error: \"{parser._current.Text}\"", parser._current.Position, parser._current.Text);
        }

        return new TreeBuilder().Build(root);
    }

    private void Advance(bool infix = false) => _current = _lexer.Next(regexAllowed: !infix);

    private void Expect(string op, bool infix = false)
    {
        if (!_current.IsOperator(op))
        {
            if (_current.Kind == TokenKind.End)
            {
                JsonataErrors.Throw("S0203", $"Expected \"{op}\" before end of expression", _current.Position, op);
            }

            JsonataErrors.Throw("S0202", $"Expected \"{op}\", got \"{_current.Text}\"", _current.Position, _current.Text);
        }

        Advance(infix);
    }

    private Node Expression(int rbp)
    {
        var token = _current;

        // After an operand a '/' divides; after a prefix operator such as '(' or ',' it opens a regex.
        Advance(infix: token.Kind != TokenKind.Operator || token.Text is "*" or "**" or "%");
        var left = Nud(token);
        while (rbp < BindingPowers.Of(_current))
        {
            token = _current;
            Advance();
            left = Led(token, left);
        }

        return left;
    }

    private Node Nud(Token t)
    {
        switch (t.Kind)
        {
            case TokenKind.End:
                throw JsonataErrors.Create("S0207", "Unexpected end of expression", t.Position);
            case TokenKind.Name:
                return new Node(NodeKind.Name, t.Position) { Text = t.Text };
            case TokenKind.Variable:
                return new Node(NodeKind.Variable, t.Position) { Text = t.Text };
            case TokenKind.String:
                return new Node(NodeKind.String, t.Position) { Text = t.Text };
            case TokenKind.Number:
                return new Node(NodeKind.Number, t.Position) { Number = t.Number };
            case TokenKind.Value:
                return new Node(NodeKind.Value, t.Position) { Literal = t.Literal, Text = t.Text };
            case TokenKind.Regex:
                return new Node(NodeKind.Regex, t.Position) { Pattern = RegexTranslator.Translate(t.Text, t.Flags ?? string.Empty, t.Position), Text = t.Text };
        }

        switch (t.Text)
        {
            case "and" or "or" or "in":
                return new Node(NodeKind.Name, t.Position) { Text = t.Text };
            case "-":
                return new Node(NodeKind.Negate, t.Position) { Expression = Expression(70) };
            case "*":
                return new Node(NodeKind.Wildcard, t.Position) { Text = "*" };
            case "**":
                return new Node(NodeKind.Descendant, t.Position) { Text = "**" };
            case "%":
                return new Node(NodeKind.Parent, t.Position);
            case "(":
                return Block(t);
            case "[":
                return ArrayConstructor(t);
            case "{":
                return new Node(NodeKind.ObjectConstructor, t.Position) { Pairs = Pairs() };
            case "|":
                return Transform(t);
        }

        throw JsonataErrors.Create("S0211", $"The symbol {t.Text} cannot be used as a unary operator", t.Position, t.Text);
    }

    private Node Led(Token t, Node left)
    {
        switch (t.Text)
        {
            case "(":
                return Call(t, left);
            case "[":
                return Predicate(t, left);
            case "{":
                return new Node(NodeKind.GroupBy, t.Position) { Lhs = left, Pairs = Pairs() };
            case "^":
                return SortTerms(t, left);
            case "?":
                return Conditional(t, left);
            case ":=":
                if (left.Kind != NodeKind.Variable)
                {
                    JsonataErrors.Throw("S0212", "The left side of := must be a variable name (start with $)", left.Position, left.Text);
                }

                return new Node(NodeKind.Bind, t.Position) { Lhs = left, Rhs = Expression(9) };
            case "@" or "#":
                var rhs = Expression(80);
                if (rhs.Kind != NodeKind.Variable)
                {
                    JsonataErrors.Throw("S0214", $"The right side of {t.Text} must be a variable name (start with $)", rhs.Position, t.Text);
                }

                return new Node(t.Text == "@" ? NodeKind.Focus : NodeKind.IndexBind, t.Position) { Lhs = left, Rhs = rhs };
            case "~>":
                return new Node(NodeKind.Apply, t.Position) { Op = t.Text, Lhs = left, Rhs = Expression(40) };
            case "." or "+" or "-" or "*" or "/" or "%" or "=" or "<" or ">" or "!=" or "<=" or ">=" or "&" or "and" or "or" or "in" or "..":
                return new Node(NodeKind.Binary, t.Position) { Op = t.Text, Lhs = left, Rhs = Expression(BindingPowers.Of(t)) };
        }

        throw JsonataErrors.Create("S0204", $"Unknown operator: \"{t.Text}\"", t.Position, t.Text);
    }

    private Node Block(Token t)
    {
        var block = new Node(NodeKind.Block, t.Position);
        while (!_current.IsOperator(")"))
        {
            block.Items.Add(Expression(0));
            if (!_current.IsOperator(";"))
            {
                break;
            }

            Advance();
        }

        Expect(")", infix: true);
        return block;
    }

    private Node ArrayConstructor(Token t)
    {
        var array = new Node(NodeKind.ArrayConstructor, t.Position);
        if (!_current.IsOperator("]"))
        {
            while (true)
            {
                array.Items.Add(Expression(0));
                if (!_current.IsOperator(","))
                {
                    break;
                }

                Advance();
            }
        }

        Expect("]", infix: true);
        return array;
    }

    private List<KeyValuePair<Node, Node>> Pairs()
    {
        var pairs = new List<KeyValuePair<Node, Node>>();
        if (!_current.IsOperator("}"))
        {
            while (true)
            {
                var key = Expression(0);
                Expect(":");
                var value = Expression(0);
                pairs.Add(new(key, value));
                if (!_current.IsOperator(","))
                {
                    break;
                }

                Advance();
            }
        }

        Expect("}", infix: true);
        return pairs;
    }

    private Node Transform(Token t)
    {
        var node = new Node(NodeKind.Transform, t.Position) { PatternExpr = Expression(0) };
        Expect("|");
        node.Update = Expression(0);
        if (_current.IsOperator(","))
        {
            Advance();
            node.Delete = Expression(0);
        }

        Expect("|", infix: true);
        return node;
    }

    private Node Call(Token t, Node left)
    {
        var isLambda = left.Kind == NodeKind.Name && left.Text is "function" or "λ";
        var call = new Node(NodeKind.FunctionCall, t.Position) { Procedure = left };
        if (!_current.IsOperator(")"))
        {
            while (true)
            {
                if (_current.IsOperator("?") && !isLambda)
                {
                    call.Kind = NodeKind.PartialCall;
                    call.Arguments.Add(new Node(NodeKind.Placeholder, _current.Position));
                    Advance(infix: true);
                }
                else
                {
                    call.Arguments.Add(Expression(0));
                }

                if (!_current.IsOperator(","))
                {
                    break;
                }

                Advance();
            }
        }

        Expect(")", infix: true);
        return isLambda ? Lambda(t, call.Arguments) : call;
    }

    private Node Lambda(Token t, List<Node> parameters)
    {
        foreach (var p in parameters)
        {
            if (p.Kind != NodeKind.Variable)
            {
                JsonataErrors.Throw("S0208", $"Parameter {p.Text} of function definition must be a variable name (start with $)", p.Position, p.Text);
            }
        }

        var lambda = new Node(NodeKind.Lambda, t.Position) { Arguments = parameters };
        if (_current.IsOperator("<"))
        {
            // The signature is read as raw text: its letters are not JSONata tokens.
            var start = _current.Position - 1;
            var depth = 0;
            var end = start;
            var source = _lexer.Source;
            for (; end < source.Length; end++)
            {
                if (source[end] == '<')
                {
                    depth++;
                }
                else if (source[end] == '>' && --depth == 0)
                {
                    break;
                }
            }

            lambda.Signature = Signature.Parse(source[start..Math.Min(end + 1, source.Length)], start);
            _lexer.Offset = end + 1;
            Advance();
        }

        Expect("{");
        lambda.Body = Expression(0);
        Expect("}", infix: true);
        return lambda;
    }

    private Node Predicate(Token t, Node left)
    {
        if (_current.IsOperator("]"))
        {
            var step = left;
            while (step.Kind == NodeKind.Predicate)
            {
                step = step.Lhs!;
            }

            step.KeepArray = true;
            Advance(infix: true);
            return left;
        }

        var node = new Node(NodeKind.Predicate, t.Position) { Lhs = left, Rhs = Expression(0) };
        Expect("]", infix: true);
        return node;
    }

    private Node SortTerms(Token t, Node left)
    {
        var node = new Node(NodeKind.SortRaw, t.Position) { Lhs = left };
        Expect("(");
        while (true)
        {
            var descending = false;
            if (_current.IsOperator("<"))
            {
                Advance();
            }
            else if (_current.IsOperator(">"))
            {
                descending = true;
                Advance();
            }

            node.Terms.Add(new SortTerm(Expression(0), descending));
            if (!_current.IsOperator(","))
            {
                break;
            }

            Advance();
        }

        Expect(")", infix: true);
        return node;
    }

    private Node Conditional(Token t, Node left)
    {
        var node = new Node(NodeKind.Condition, t.Position) { Condition = left, Then = Expression(0) };
        if (_current.IsOperator(":"))
        {
            Advance();
            node.Else = Expression(0);
        }

        return node;
    }
}
