using System.Text;
using PolymarketAlgo.Executor.Resilience;

namespace PolymarketAlgo.Executor.Http;

/// <summary>One REST request to a Polymarket host, described independently of any attempt to send it.</summary>
public sealed class PolymarketRequest
{
    private readonly List<KeyValuePair<string, string>> _query = [];

    /// <summary>Creates a request for <paramref name="method"/> <paramref name="path"/>.</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="path">The API path starting with <c>/</c>, without query string, e.g. <c>/book</c>.</param>
    /// <param name="endpointGroup">The rate-limit group (<see cref="EndpointGroups"/>).</param>
    public PolymarketRequest(HttpMethod method, string path, string endpointGroup = EndpointGroups.General)
    {
        ArgumentNullException.ThrowIfNull(method);
        if (string.IsNullOrEmpty(path) || path[0] != '/' || path.Contains('?'))
        {
            throw new ArgumentException("the path must start with '/' and carry no query string", nameof(path));
        }

        Method = method;
        Path = path;
        EndpointGroup = endpointGroup;
    }

    /// <summary>The HTTP method.</summary>
    public HttpMethod Method { get; }

    /// <summary>The API path (what an L2 signature covers).</summary>
    public string Path { get; }

    /// <summary>The rate-limit group.</summary>
    public string EndpointGroup { get; }

    /// <summary>The query parameters, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Query => _query;

    /// <summary>The exact JSON body text to send, or null for none.</summary>
    public string? Body { get; init; }

    /// <summary>Adds the headers of an authenticated endpoint, once per attempt; null for a public endpoint.</summary>
    public IRequestAuthenticator? Authenticator { get; init; }

    /// <summary>Whether a successful response must carry a body (an empty one is then <see cref="PolymarketApiErrorKind.EmptyBody"/>).</summary>
    public bool ExpectsBody { get; init; } = true;

    /// <summary>Which failures may be retried.</summary>
    public RetryMode RetryMode { get; init; } = RetryMode.Transient;

    /// <summary>Adds a query parameter when <paramref name="value"/> is not null or empty; returns this request.</summary>
    public PolymarketRequest WithQuery(string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            _query.Add(new(name, value));
        }

        return this;
    }

    /// <summary>Adds an integer query parameter when it has a value; returns this request.</summary>
    public PolymarketRequest WithQuery(string name, long? value) =>
        WithQuery(name, value?.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Adds a boolean query parameter (<c>true</c>/<c>false</c>) when it has a value; returns this request.</summary>
    public PolymarketRequest WithQuery(string name, bool? value) =>
        WithQuery(name, value switch { true => "true", false => "false", null => null });

    /// <summary>The path and encoded query string, e.g. <c>/book?token_id=123</c>.</summary>
    public string PathAndQuery
    {
        get
        {
            if (_query.Count == 0)
            {
                return Path;
            }

            var text = new StringBuilder(Path).Append('?');
            for (var i = 0; i < _query.Count; i++)
            {
                if (i > 0)
                {
                    text.Append('&');
                }

                text.Append(Uri.EscapeDataString(_query[i].Key)).Append('=').Append(Uri.EscapeDataString(_query[i].Value));
            }

            return text.ToString();
        }
    }

    /// <summary>The method and path, for messages and logs.</summary>
    public override string ToString() => $"{Method.Method} {Path}";
}
