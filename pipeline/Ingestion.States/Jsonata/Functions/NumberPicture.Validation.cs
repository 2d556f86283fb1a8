using Ingestion.States.Jsonata.Evaluation;

namespace Ingestion.States.Jsonata.Functions;

/// <summary>The picture errors F&amp;O names (D3081–D3093), checked before a sub-picture is used.</summary>
internal static partial class NumberPicture
{
    private sealed partial class SubPicture
    {
        private void Validate(
            List<(Kind Kind, string Text)> all,
            List<(Kind Kind, string Text)> prefix,
            List<(Kind Kind, string Text)> mantissa,
            List<(Kind Kind, string Text)> exponent,
            List<(Kind Kind, string Text)> suffix)
        {
            static JsonataException Error(string code, string message) => JsonataErrors.Create(code, message);
            if (all.Count(t => t.Kind == Kind.Decimal) > 1)
            {
                throw Error("D3081", "A sub-picture must not contain more than one instance of the 'decimal-separator' character");
            }

            var percents = all.Count(t => t.Kind == Kind.Percent);
            var perMilles = all.Count(t => t.Kind == Kind.PerMille);
            if (percents > 1)
            {
                throw Error("D3082", "A sub-picture must not contain more than one instance of the 'percent' character");
            }

            if (perMilles > 1)
            {
                throw Error("D3083", "A sub-picture must not contain more than one instance of the 'per-mille' character");
            }

            if (percents > 0 && perMilles > 0)
            {
                throw Error("D3084", "A sub-picture must not contain both a 'percent' and a 'per-mille' character");
            }

            if (!mantissa.Any(t => t.Kind is Kind.Digit or Kind.Optional))
            {
                throw Error("D3085", "The mantissa part of a sub-picture must contain at least one character that is either an optional digit character or a member of the decimal digit family");
            }

            if (suffix.Any(t => t.Kind is Kind.Digit or Kind.Optional or Kind.Decimal or Kind.Grouping or Kind.Exponent))
            {
                throw Error("D3086", "A sub-picture must not contain a passive character that is preceded by an active character and that is followed by another active character");
            }

            for (var i = 0; i < mantissa.Count; i++)
            {
                var kind = mantissa[i].Kind;
                var next = i + 1 < mantissa.Count ? mantissa[i + 1].Kind : (Kind?)null;
                if (kind == Kind.Grouping && next == Kind.Decimal || kind == Kind.Decimal && next == Kind.Grouping)
                {
                    throw Error("D3087", "A sub-picture must not contain a 'grouping-separator' character that appears adjacent to a 'decimal-separator' character");
                }

                if (kind == Kind.Grouping && next == Kind.Grouping)
                {
                    throw Error("D3089", "A sub-picture must not contain two adjacent instances of the 'grouping-separator' character");
                }
            }

            var decimalAt = mantissa.FindIndex(t => t.Kind == Kind.Decimal);
            var integer = decimalAt >= 0 ? mantissa[..decimalAt] : mantissa;
            var fraction = decimalAt >= 0 ? mantissa[(decimalAt + 1)..] : [];
            if (decimalAt < 0 && integer.Count > 0 && integer[^1].Kind == Kind.Grouping)
            {
                throw Error("D3088", "The integer part of a sub-picture must not end with a 'grouping-separator' character");
            }

            var seenDigit = false;
            foreach (var t in integer)
            {
                if (t.Kind == Kind.Digit)
                {
                    seenDigit = true;
                }
                else if (t.Kind == Kind.Optional && seenDigit)
                {
                    throw Error("D3090", "The integer part of the sub-picture must not contain a member of the decimal digit family that is followed by an instance of the optional digit character");
                }
            }

            var seenOptional = false;
            foreach (var t in fraction)
            {
                if (t.Kind == Kind.Optional)
                {
                    seenOptional = true;
                }
                else if (t.Kind == Kind.Digit && seenOptional)
                {
                    throw Error("D3091", "The fractional part of the sub-picture must not contain an instance of the optional digit character that is followed by a member of the decimal digit family");
                }
            }

            if (HasExponent && (percents > 0 || perMilles > 0))
            {
                throw Error("D3092", "A sub-picture that contains a 'percent' or 'per-mille' character must not contain a character treated as an 'exponent-separator'");
            }

            if (exponent.Any(t => t.Kind != Kind.Digit))
            {
                throw Error("D3093", "The exponent part of the sub-picture must comprise only of one or more characters that are members of the decimal digit family");
            }
        }
    }
}
