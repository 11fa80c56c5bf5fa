using System.Text;

namespace PolymarketAlgo.Executor.Configuration;

/// <summary>
/// Reads dotenv text the way python-dotenv does for the usual cases: <c>KEY=VALUE</c> per line, blank lines
/// and <c>#</c> comment lines skipped, an optional <c>export </c> prefix, values in single quotes taken
/// literally, values in double quotes with <c>\n</c>, <c>\"</c> and <c>\\</c> escapes, and a <c> #</c> comment
/// after an unquoted value dropped. A later line wins over an earlier one.
/// </summary>
public static class DotEnvFile
{
    /// <summary>Parses dotenv text.</summary>
    /// <param name="text">The file's contents.</param>
    /// <param name="errors">One message per malformed line ("line N: ..."); the line itself is never repeated.</param>
    /// <returns>The values by key, in file order.</returns>
    public static IReadOnlyList<KeyValuePair<string, string>> Parse(string text, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(text);
        var values = new List<KeyValuePair<string, string>>();
        var problems = new List<string>();
        var lines = text.Split('\n');

        for (var index = 0; index < lines.Length; index++)
        {
            var line = lines[index].TrimEnd('\r').Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (line.StartsWith("export ", StringComparison.Ordinal))
            {
                line = line["export ".Length..].TrimStart();
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            var key = equals > 0 ? line[..equals].Trim() : "";
            if (key.Length == 0 || key.Any(char.IsWhiteSpace))
            {
                problems.Add($"line {index + 1}: expected KEY=VALUE");
                continue;
            }

            var value = Unquote(line[(equals + 1)..].Trim(), out var closed);
            if (!closed)
            {
                problems.Add($"line {index + 1}: the value of {key} has no closing quote");
                continue;
            }

            values.Add(new KeyValuePair<string, string>(key, value));
        }

        errors = problems;
        return values;
    }

    private static string Unquote(string raw, out bool closed)
    {
        closed = true;
        if (raw.Length > 0 && (raw[0] == '\'' || raw[0] == '"'))
        {
            var quote = raw[0];
            var end = quote == '"' ? ClosingDoubleQuote(raw) : raw.IndexOf('\'', 1);
            if (end < 0)
            {
                closed = false;
                return "";
            }

            var inner = raw[1..end];
            return quote == '"' ? Unescape(inner) : inner;
        }

        var comment = raw.IndexOf(" #", StringComparison.Ordinal);
        return comment >= 0 ? raw[..comment].TrimEnd() : raw;
    }

    private static int ClosingDoubleQuote(string raw)
    {
        for (var i = 1; i < raw.Length; i++)
        {
            if (raw[i] == '\\')
            {
                i++;
            }
            else if (raw[i] == '"')
            {
                return i;
            }
        }

        return -1;
    }

    private static string Unescape(string inner)
    {
        var text = new StringBuilder(inner.Length);
        for (var i = 0; i < inner.Length; i++)
        {
            if (inner[i] == '\\' && i + 1 < inner.Length)
            {
                i++;
                text.Append(inner[i] switch
                {
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    var other => other,
                });
            }
            else
            {
                text.Append(inner[i]);
            }
        }

        return text.ToString();
    }
}
