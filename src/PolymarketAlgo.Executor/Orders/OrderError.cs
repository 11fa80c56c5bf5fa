namespace PolymarketAlgo.Executor.Orders;

/// <summary>Why an order could not be built, posted or priced.</summary>
public enum OrderErrorKind
{
    /// <summary>The price lies outside [tick, 1 − tick].</summary>
    PriceOutOfRange = 0,

    /// <summary>The price is not a whole number of ticks.</summary>
    PriceOffTick = 1,

    /// <summary>The size (or a market order's amount) is zero or negative.</summary>
    SizeNotPositive = 2,

    /// <summary>The size is below the market's minimum order size.</summary>
    BelowMinimumSize = 3,

    /// <summary>A marketable order's notional is below the venue minimum (normally $1).</summary>
    BelowMinimumNotional = 4,

    /// <summary>After rounding to the tick's precision, an amount is zero.</summary>
    AmountRoundsToZero = 5,

    /// <summary>An amount does not fit in the supported range.</summary>
    AmountTooLarge = 6,

    /// <summary>A GTD order without a far-enough expiration, or a non-GTD order with one.</summary>
    InvalidExpiration = 7,

    /// <summary>The order type does not fit the request (e.g. a market order that is not FOK/FAK).</summary>
    InvalidOrderType = 8,

    /// <summary>post-only was asked for an order type other than GTC/GTD.</summary>
    PostOnlyNotAllowed = 9,

    /// <summary>A batch is empty.</summary>
    EmptyBatch = 10,

    /// <summary>A batch holds more than 15 orders.</summary>
    TooManyOrders = 11,

    /// <summary>A batch mixes post-only and normal orders.</summary>
    MixedPostOnly = 12,

    /// <summary>The book cannot fill a fill-or-kill market order (or is empty).</summary>
    NoMatch = 13,
}

/// <summary>An expected failure: what went wrong, and a sentence saying so.</summary>
/// <param name="Kind">The kind of failure.</param>
/// <param name="Message">A human-readable explanation.</param>
public sealed record OrderError(OrderErrorKind Kind, string Message);

/// <summary>Either a value or an <see cref="OrderError"/>.</summary>
/// <typeparam name="T">The value type.</typeparam>
public readonly struct OrderResult<T>
{
    private readonly T? value;

    private OrderResult(T? value, OrderError? error)
    {
        this.value = value;
        Error = error;
    }

    /// <summary>Whether this holds a value.</summary>
    public bool IsOk => Error is null;

    /// <summary>The error, or <c>null</c> on success.</summary>
    public OrderError? Error { get; }

    /// <summary>The value.</summary>
    /// <exception cref="InvalidOperationException">This is an error.</exception>
    public T Value => Error is null ? value! : throw new InvalidOperationException($"No value: {Error.Kind}: {Error.Message}");

    /// <summary>A success.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The result.</returns>
    public static OrderResult<T> Ok(T value) => new(value, null);

    /// <summary>A failure.</summary>
    /// <param name="kind">The kind of failure.</param>
    /// <param name="message">The explanation.</param>
    /// <returns>The result.</returns>
    public static OrderResult<T> Fail(OrderErrorKind kind, string message) => new(default, new OrderError(kind, message));

    /// <summary>A failure.</summary>
    /// <param name="error">The error.</param>
    /// <returns>The result.</returns>
    public static OrderResult<T> Fail(OrderError error) => new(default, error ?? throw new ArgumentNullException(nameof(error)));

    /// <summary>Gets the value when there is one.</summary>
    /// <param name="result">The value on success.</param>
    /// <returns><c>true</c> on success.</returns>
    public bool TryGetValue(out T result)
    {
        result = value!;
        return Error is null;
    }

    /// <summary>Describes the result.</summary>
    /// <returns><c>Ok(value)</c> or <c>Error(kind: message)</c>.</returns>
    public override string ToString() => Error is null ? $"Ok({value})" : $"Error({Error.Kind}: {Error.Message})";
}
