using System.Globalization;
using Elixir.Generators.Specs;

namespace Elixir.Generators;

/// <summary>
/// Parses a dimension expression: integer literals, identifiers, <c>+ - * /</c> with the usual precedence
/// (left associative) and parentheses. Whitespace is ignored.
/// </summary>
internal sealed class ShapeExpressionParser
{
    private readonly string _text;
    private int _position;

    private ShapeExpressionParser(string text) => _text = text;

    /// <summary>Parses <paramref name="text"/>; on failure returns null and sets <paramref name="error"/>.</summary>
    public static ShapeNode? TryParse(string text, out string error)
    {
        var parser = new ShapeExpressionParser(text);
        error = string.Empty;
        try
        {
            ShapeNode node = parser.ParseSum();
            parser.SkipWhitespace();
            if (parser._position != text.Length)
            {
                throw new ShapeSyntaxException($"unexpected '{text[parser._position]}' at position {parser._position}");
            }

            return node;
        }
        catch (ShapeSyntaxException e)
        {
            error = e.Message;
            return null;
        }
    }

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
            _position++;
            ShapeNode inner = ParseSum();
            if (!TryConsume(')', ')', out _))
            {
                throw new ShapeSyntaxException("missing ')'");
            }

            return inner;
        }

        int start = _position;
        if (char.IsDigit(c))
        {
            while (_position < _text.Length && char.IsDigit(_text[_position]))
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

        throw new ShapeSyntaxException($"unexpected '{c}' at position {_position}");
    }

    private bool TryConsume(char first, char second, out char consumed)
    {
        SkipWhitespace();
        consumed = '\0';
        if (_position < _text.Length && (_text[_position] == first || _text[_position] == second))
        {
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
        public ShapeSyntaxException(string message)
            : base(message)
        {
        }
    }
}
