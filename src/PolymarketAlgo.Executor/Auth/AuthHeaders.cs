using System.Diagnostics;
using System.Text.Json.Serialization;
using PolymarketAlgo.Executor.Secrets;

namespace PolymarketAlgo.Executor.Auth;

/// <summary>
/// A set of authentication headers to put on one request. It holds a credential-bearing signature (and, for
/// L2, the passphrase), so <see cref="ToString"/> redacts them and JSON serialisation throws.
/// </summary>
[DebuggerDisplay("{ToString(),nq}")]
[JsonConverter(typeof(NeverSerializeConverter<AuthHeaders>))]
public sealed class AuthHeaders
{
    private static readonly HashSet<string> Sensitive = new(StringComparer.Ordinal) { HeaderNames.Signature, HeaderNames.Passphrase };

    private readonly KeyValuePair<string, string>[] headers;

    internal AuthHeaders(params KeyValuePair<string, string>[] headers) => this.headers = headers;

    /// <summary>The header names and values, in a stable order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Values => headers;

    /// <summary>The value of one header.</summary>
    /// <param name="name">A name from <see cref="HeaderNames"/>.</param>
    /// <returns>The value.</returns>
    /// <exception cref="KeyNotFoundException">The header is not in this set.</exception>
    public string this[string name] =>
        headers.FirstOrDefault(h => h.Key == name) is { Key: not null } header ? header.Value : throw new KeyNotFoundException(name);

    /// <summary>Adds the headers to a request, replacing any of the same name.</summary>
    /// <param name="request">The request.</param>
    public void ApplyTo(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        foreach (var (name, value) in headers)
        {
            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, value);
        }
    }

    /// <summary>Lists the headers with the signature and passphrase redacted.</summary>
    /// <returns>A safe description.</returns>
    public override string ToString() =>
        string.Join(", ", headers.Select(h => $"{h.Key}={(Sensitive.Contains(h.Key) ? "<redacted>" : h.Value)}"));
}
