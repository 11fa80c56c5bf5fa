using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using PolymarketAlgo.Simulator.Auth;
using PolymarketAlgo.Simulator.Exchange;

namespace PolymarketAlgo.Simulator.Api;

/// <summary>Helpers shared by the API handlers: JSON results, errors, bodies and authentication.</summary>
internal static class HttpJson
{
    public static IResult Json(string json, int status = StatusCodes.Status200OK) =>
        Results.Text(json, "application/json", Encoding.UTF8, status);

    public static IResult Error(string message, int status) => Json(JsonText.Error(message, status), status);

    public static IResult Error(ExchangeError error) => Error(error.Message, error.Status);

    public static async Task<string> BodyAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8, leaveOpen: true);
        return await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
    }

    public static string? Query(HttpContext context, string name) =>
        context.Request.Query.TryGetValue(name, out var values) && !string.IsNullOrEmpty(values[0]) ? values[0] : null;

    public static IReadOnlyList<string> QueryAll(HttpContext context, string name) =>
        context.Request.Query.TryGetValue(name, out var values)
            ? values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray()
            : [];

    public static int QueryInt(HttpContext context, string name, int fallback, int max) =>
        int.TryParse(Query(context, name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? Math.Min(value, max) : fallback;

    public static long? QueryLong(HttpContext context, string name) =>
        long.TryParse(Query(context, name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    public static bool? QueryBool(HttpContext context, string name) =>
        bool.TryParse(Query(context, name), out var value) ? value : null;

    public static string? Header(HttpContext context, string name) =>
        context.Request.Headers.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;

    /// <summary>Checks the L2 headers of a request; the API path is the request path without the mount prefix.</summary>
    public static AuthFailure? AuthenticateL2(HttpContext context, ApiKeyRegistry keys, string prefix, string? body, out ApiKeyRecord? key)
    {
        var full = context.Request.Path.Value ?? "";
        var apiPath = full.StartsWith(prefix, StringComparison.Ordinal) ? full[prefix.Length..] : full;
        return keys.VerifyL2(name => Header(context, name), context.Request.Method, [apiPath, full], body, out key);
    }
}
