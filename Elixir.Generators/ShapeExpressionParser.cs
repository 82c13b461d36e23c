using System.Globalization;
using Elixir.Generators.Specs;

namespace Elixir.Generators;

/// <summary>
/// Parses a dimension expression: integer literals (ASCII digits), identifiers, <c>+ - * /</c> with the usual
/// precedence (left associative) and parentheses. Whitespace is ignored.
/// </summary>
/// <remarks>
/// Operators are read in loops and only parentheses recurse, after the depth is checked, so no input can
/// exhaust the compiler's stack; the length and operator limits also bound the depth of the tree every later
/// stage walks recursively (folding, equality in the incremental cache, the emitted nested calls).
/// </remarks>
internal sealed class ShapeExpressionParser
{
    /// <summary>The longest expression accepted, in characters.</summary>
    public const int MaxLength = 512;

    /// <summary>The deepest parenthesis nesting accepted.</summary>
    public const int MaxDepth = 16;

    /// <summary>The most binary operators one expression may use.</summary>
    public const int MaxOperators = 64;

    private readonly string _text;
    private int _position;
    private int _depth;
    private int _operators;

    private ShapeExpressionParser(string text) => _text = text;

    /// <summary>
    /// Parses <paramref name="text"/>; on failure returns null and sets <paramref name="error"/>, and sets
    /// <paramref name="tooComplex"/> when the failure is one of the limits rather than the syntax.
    /// </summary>
    public static ShapeNode? TryParse(string text, out string error, out bool tooComplex)
    {
        error = string.Empty;
        tooComplex = false;
        if (text.Length > MaxLength)
        {
            error = $"it is {Number(text.Length)} characters long; the limit is {Number(MaxLength)}";
            tooComplex = true;
            return null;
        }

        var parser = new ShapeExpressionParser(text);
        try
        {
            ShapeNode node = parser.ParseSum();
            parser.SkipWhitespace();
            if (parser._position != text.Length)
            {
                throw parser.Unexpected();
            }

            return node;
        }
        catch (ShapeSyntaxException e)
        {
            error = e.Message;
            tooComplex = e.IsLimit;
            return null;
        }
    }

    /// <summary>Parses <paramref name="text"/>; on failure returns null and sets <paramref name="error"/>.</summary>
    public static ShapeNode? TryParse(string text, out string error) => TryParse(text, out error, out _);

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static bool IsAsciiDigit(char c) => c is >= '0' and <= '9';

    private ShapeNode ParseSum()
    {
        ShapeNode left = ParseProduct();
        while (TryConsume('+', '-', out char op))
        {
            left = new BinaryNode(op, left, ParseProduct());
        }

        return left;
    }

    private ShapeNode ParseProduct()
    {
        ShapeNode left = ParseAtom();
        while (TryConsume('*', '/', out char op))
        {
            left = new BinaryNode(op, left, ParseAtom());
        }

        return left;
    }

    private ShapeNode ParseAtom()
    {
        SkipWhitespace();
        if (_position == _text.Length)
        {
            throw new ShapeSyntaxException("unexpected end of expression");
        }

        char c = _text[_position];
        if (c == '(')
        {
            if (++_depth > MaxDepth)
            {
                throw new ShapeSyntaxException($"it nests parentheses more than {Number(MaxDepth)} deep", isLimit: true);
            }

            _position++;
            ShapeNode inner = ParseSum();
            if (!TryConsume(')', ')', out _))
            {
                throw new ShapeSyntaxException("missing ')'");
            }

            _depth--;
            return inner;
        }

        int start = _position;
        if (IsAsciiDigit(c))
        {
            while (_position < _text.Length && IsAsciiDigit(_text[_position]))
            {
                _position++;
            }

            string digits = _text.Substring(start, _position - start);
            if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long value))
            {
                throw new ShapeSyntaxException($"literal {digits} does not fit a 64-bit integer");
            }

            return new LiteralNode(value);
        }

        if (char.IsLetter(c) || c == '_')
        {
            while (_position < _text.Length && (char.IsLetterOrDigit(_text[_position]) || _text[_position] == '_'))
            {
                _position++;
            }

            return new NamedNode(_text.Substring(start, _position - start));
        }

        throw Unexpected();
    }

    private ShapeSyntaxException Unexpected()
    {
        char c = _text[_position];
        string code = "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture);
        return char.IsDigit(c)
            ? new ShapeSyntaxException($"'{c}' ({code}) at position {Number(_position)} is not an ASCII digit; write numbers with 0-9")
            : char.IsControl(c) || char.IsWhiteSpace(c) || char.IsSurrogate(c)
                ? new ShapeSyntaxException($"unexpected {code} at position {Number(_position)}")
                : new ShapeSyntaxException($"unexpected '{c}' at position {Number(_position)}");
    }

    private bool TryConsume(char first, char second, out char consumed)
    {
        SkipWhitespace();
        consumed = '\0';
        if (_position < _text.Length && (_text[_position] == first || _text[_position] == second))
        {
            if (first != ')' && ++_operators > MaxOperators)
            {
                throw new ShapeSyntaxException($"it has more than {Number(MaxOperators)} operators", isLimit: true);
            }

            consumed = _text[_position++];
            return true;
        }

        return false;
    }

    private void SkipWhitespace()
    {
        while (_position < _text.Length && char.IsWhiteSpace(_text[_position]))
        {
            _position++;
        }
    }

    private sealed class ShapeSyntaxException : System.Exception
    {
        public ShapeSyntaxException(string message, bool isLimit = false)
            : base(message) => IsLimit = isLimit;

        public bool IsLimit { get; }
    }
}
