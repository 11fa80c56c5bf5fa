namespace PolymarketAlgo.Executor.Http;

/// <summary>
/// Adds authentication headers to an outgoing request (the CLOB's L2 HMAC headers, or L1 headers for
/// the API-key endpoints). It is called once per attempt, so a retried request gets a fresh timestamp.
/// </summary>
public interface IRequestAuthenticator
{
    /// <summary>Adds the authentication headers to <paramref name="request"/>.</summary>
    /// <param name="request">The request about to be sent; add headers to <c>request.Headers</c>.</param>
    /// <param name="method">The upper-case HTTP method, e.g. <c>POST</c>.</param>
    /// <param name="requestPath">The API path only, without host or query string, e.g. <c>/order</c>
    /// (the L2 signature covers exactly this, see the protocol reference §3).</param>
    /// <param name="body">The exact body text sent on the wire, or <c>null</c> when there is none.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    ValueTask AuthenticateAsync(
        HttpRequestMessage request,
        string method,
        string requestPath,
        string? body,
        CancellationToken cancellationToken);
}
