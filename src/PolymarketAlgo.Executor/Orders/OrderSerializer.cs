using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using PolymarketAlgo.Executor.Crypto;

namespace PolymarketAlgo.Executor.Orders;

/// <summary>
/// Writes and reads the exact <c>POST /order</c> and <c>POST /orders</c> JSON bodies of clob-client-v2's
/// <c>orderToJsonV2</c>: compact, with the keys in the official order, <c>salt</c> and <c>signatureType</c> as
/// numbers, <c>side</c> and <c>orderType</c> as text, every amount and id as a string. Sign the L2 HMAC over the
/// very string returned here and send that same string.
/// </summary>
public static class OrderSerializer
{
    /// <summary>The most orders one <c>POST /orders</c> accepts.</summary>
    public const int MaxBatchSize = 15;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly JsonEncodedText DeferExecName = JsonEncodedText.Encode("deferExec");
    private static readonly JsonEncodedText PostOnlyName = JsonEncodedText.Encode("postOnly");
    private static readonly JsonEncodedText OrderName = JsonEncodedText.Encode("order");
    private static readonly JsonEncodedText SaltName = JsonEncodedText.Encode("salt");
    private static readonly JsonEncodedText MakerName = JsonEncodedText.Encode("maker");
    private static readonly JsonEncodedText SignerName = JsonEncodedText.Encode("signer");
    private static readonly JsonEncodedText TokenIdName = JsonEncodedText.Encode("tokenId");
    private static readonly JsonEncodedText MakerAmountName = JsonEncodedText.Encode("makerAmount");
    private static readonly JsonEncodedText TakerAmountName = JsonEncodedText.Encode("takerAmount");
    private static readonly JsonEncodedText SideName = JsonEncodedText.Encode("side");
    private static readonly JsonEncodedText SignatureTypeName = JsonEncodedText.Encode("signatureType");
    private static readonly JsonEncodedText TimestampName = JsonEncodedText.Encode("timestamp");
    private static readonly JsonEncodedText ExpirationName = JsonEncodedText.Encode("expiration");
    private static readonly JsonEncodedText MetadataName = JsonEncodedText.Encode("metadata");
    private static readonly JsonEncodedText BuilderName = JsonEncodedText.Encode("builder");
    private static readonly JsonEncodedText SignatureName = JsonEncodedText.Encode("signature");
    private static readonly JsonEncodedText OwnerName = JsonEncodedText.Encode("owner");
    private static readonly JsonEncodedText OrderTypeName = JsonEncodedText.Encode("orderType");
    private static readonly JsonEncodedText Buy = JsonEncodedText.Encode("BUY");
    private static readonly JsonEncodedText Sell = JsonEncodedText.Encode("SELL");

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? threadBuffer;

    [ThreadStatic]
    private static Utf8JsonWriter? threadWriter;

    /// <summary>The <c>POST /order</c> body of one submission.</summary>
    /// <param name="submission">The submission.</param>
    /// <returns>The compact JSON text.</returns>
    public static string Serialize(OrderSubmission submission)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var (buffer, writer) = Rent();
        Write(writer, submission);
        writer.Flush();
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// The <c>POST /orders</c> body: a JSON array of 1 to 15 submissions that agree on post-only.
    /// </summary>
    /// <param name="submissions">The submissions.</param>
    /// <returns>The compact JSON text, or why the batch is invalid.</returns>
    public static OrderResult<string> SerializeBatch(IReadOnlyList<OrderSubmission> submissions)
    {
        ArgumentNullException.ThrowIfNull(submissions);
        if (submissions.Count == 0)
        {
            return OrderResult<string>.Fail(OrderErrorKind.EmptyBatch, "A batch needs at least one order.");
        }

        if (submissions.Count > MaxBatchSize)
        {
            return OrderResult<string>.Fail(OrderErrorKind.TooManyOrders, $"A batch holds at most {MaxBatchSize} orders, got {submissions.Count}.");
        }

        if (submissions.Any(s => s.PostOnly != submissions[0].PostOnly))
        {
            return OrderResult<string>.Fail(OrderErrorKind.MixedPostOnly, "Every order of a batch must have the same post-only flag.");
        }

        var (buffer, writer) = Rent();
        writer.WriteStartArray();
        foreach (var submission in submissions)
        {
            Write(writer, submission);
        }

        writer.WriteEndArray();
        writer.Flush();
        return OrderResult<string>.Ok(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    /// <summary>Writes one submission object to a JSON writer (for callers managing their own buffers).</summary>
    /// <param name="writer">The writer; use <see cref="JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/> to match the official text.</param>
    /// <param name="submission">The submission.</param>
    public static void Write(Utf8JsonWriter writer, OrderSubmission submission)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(submission);
        var signed = submission.SignedOrder;
        var order = signed.Order;
        writer.WriteStartObject();
        writer.WriteBoolean(DeferExecName, submission.DeferExec);
        writer.WriteBoolean(PostOnlyName, submission.PostOnly);
        writer.WriteStartObject(OrderName);
        writer.WriteNumber(SaltName, order.Salt);
        writer.WriteString(MakerName, order.Maker.Checksummed);
        writer.WriteString(SignerName, order.Signer.Checksummed);
        writer.WriteString(TokenIdName, order.TokenId.ToString());
        WriteInteger(writer, MakerAmountName, order.MakerAmount);
        WriteInteger(writer, TakerAmountName, order.TakerAmount);
        writer.WriteString(SideName, order.Side == Side.Buy ? Buy : Sell);
        writer.WriteNumber(SignatureTypeName, (int)order.SignatureType);
        WriteInteger(writer, TimestampName, order.Timestamp);
        WriteInteger(writer, ExpirationName, order.Expiration);
        writer.WriteString(MetadataName, order.Metadata.ToString());
        writer.WriteString(BuilderName, order.Builder.ToString());
        writer.WriteString(SignatureName, signed.Signature);
        writer.WriteEndObject();
        writer.WriteString(OwnerName, submission.Owner);
        writer.WriteString(OrderTypeName, submission.OrderType.ToWire());
        writer.WriteEndObject();
    }

    /// <summary>
    /// Reads a <c>POST /order</c> body back (e.g. in a local exchange simulator). The order hash is recomputed for
    /// the given domain; the signature is not verified (see <see cref="OrderSigner.RecoverSigner"/>).
    /// </summary>
    /// <param name="json">The body.</param>
    /// <param name="domain">The exchange domain the order was signed for.</param>
    /// <returns>The submission, or why the body's content is invalid.</returns>
    /// <exception cref="JsonException">The text is not a well-formed order body.</exception>
    public static OrderResult<OrderSubmission> Deserialize(string json, ExchangeDomain domain)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = JsonDocument.Parse(json);
        return Read(document.RootElement, domain);
    }

    /// <summary>Reads a <c>POST /orders</c> body back; each order's domain is chosen by its token.</summary>
    /// <param name="json">The body (a JSON array).</param>
    /// <param name="domainOf">The exchange domain of a token's market.</param>
    /// <returns>The submissions, or the first invalid one's error.</returns>
    /// <exception cref="JsonException">The text is not a well-formed batch body.</exception>
    public static OrderResult<IReadOnlyList<OrderSubmission>> DeserializeBatch(string json, Func<TokenId, ExchangeDomain> domainOf)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(domainOf);
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException("A batch body is a JSON array.");
        }

        var submissions = new List<OrderSubmission>();
        foreach (var element in document.RootElement.EnumerateArray())
        {
            var tokenId = ParseTokenId(Property(Property(element, "order"), "tokenId"));
            var result = Read(element, domainOf(tokenId));
            if (!result.TryGetValue(out var submission))
            {
                return OrderResult<IReadOnlyList<OrderSubmission>>.Fail(result.Error!);
            }

            submissions.Add(submission);
        }

        return OrderResult<IReadOnlyList<OrderSubmission>>.Ok(submissions);
    }

    private static OrderResult<OrderSubmission> Read(JsonElement root, ExchangeDomain domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        var body = Property(root, "order");
        try
        {
            var order = new Order(
                Property(body, "salt").GetInt64(),
                Address.Parse(Text(body, "maker")),
                Address.Parse(Text(body, "signer")),
                ParseTokenId(Property(body, "tokenId")),
                ParseInteger(body, "makerAmount"),
                ParseInteger(body, "takerAmount"),
                OrderWireNames.ParseSide(Text(body, "side")),
                (SignatureType)Property(body, "signatureType").GetInt32(),
                ParseInteger(body, "timestamp"),
                Bytes32.Parse(Text(body, "metadata")),
                Bytes32.Parse(Text(body, "builder")),
                ParseInteger(body, "expiration"));
            var signed = new SignedOrder(order, OrderSigner.Hash(order, domain), Text(body, "signature"));
            return OrderSubmission.Create(
                signed,
                Text(root, "owner"),
                OrderWireNames.ParseOrderType(Text(root, "orderType")),
                Property(root, "postOnly").GetBoolean(),
                Property(root, "deferExec").GetBoolean());
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
        {
            throw new JsonException($"Invalid order body: {ex.Message}", ex);
        }
    }

    private static JsonElement Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value
            : throw new JsonException($"The order body has no '{name}'.");

    private static string Text(JsonElement element, string name) =>
        Property(element, name).GetString() ?? throw new JsonException($"'{name}' is null.");

    private static long ParseInteger(JsonElement element, string name) =>
        long.TryParse(Text(element, name), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new JsonException($"'{name}' is not a non-negative integer string.");

    private static TokenId ParseTokenId(JsonElement element) =>
        TokenId.TryParse(element.GetString(), out var id) ? id : throw new JsonException("'tokenId' is not a decimal uint256 string.");

    private static void WriteInteger(Utf8JsonWriter writer, JsonEncodedText name, long value)
    {
        Span<byte> digits = stackalloc byte[20];
        value.TryFormat(digits, out var written, default, CultureInfo.InvariantCulture);
        writer.WriteString(name, digits[..written]);
    }

    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Writer) Rent()
    {
        var buffer = threadBuffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var writer = threadWriter ??= new Utf8JsonWriter(buffer, WriterOptions);
        writer.Reset(buffer);
        return (buffer, writer);
    }
}
