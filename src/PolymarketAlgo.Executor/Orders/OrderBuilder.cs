using System.Buffers.Binary;
using System.Security.Cryptography;
using PolymarketAlgo.Executor.Auth;
using PolymarketAlgo.Executor.Crypto;
using PolymarketAlgo.Executor.Secrets;

namespace PolymarketAlgo.Executor.Orders;

/// <summary>How an <see cref="OrderBuilder"/> fills in the fields a request does not carry.</summary>
public sealed record OrderBuilderOptions
{
    /// <summary>The chain (137 Polygon by default, or 80002 Amoy).</summary>
    public long ChainId { get; init; } = ChainIds.Polygon;

    /// <summary>The signature type; EOA by default.</summary>
    public SignatureType SignatureType { get; init; } = SignatureType.Eoa;

    /// <summary>
    /// The wallet holding the funds: required for POLY_PROXY, POLY_GNOSIS_SAFE and POLY_1271 (the deposit wallet);
    /// for EOA it must be null or the key's own address.
    /// </summary>
    public Address? Funder { get; init; }

    /// <summary>Source of salts in [0, 2^53 − 1]; cryptographic randomness when null. Inject a fixed one in tests.</summary>
    public Func<long>? SaltSource { get; init; }

    /// <summary>The clock giving the order timestamp (milliseconds) and checking GTD expirations.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The builder code signed in every order; zero when none.</summary>
    public Bytes32 BuilderCode { get; init; } = Bytes32.Zero;

    /// <summary>The metadata signed in every order; zero by default.</summary>
    public Bytes32 Metadata { get; init; } = Bytes32.Zero;
}

/// <summary>
/// Builds and signs V2/V3 orders for one wallet: validates the request against the market (tick grid, price
/// range, sizes, order type, expiration), computes the amounts, fills in maker/signer per the signature type,
/// salt and timestamp, and signs for the market's exchange domain. Thread-safe.
/// </summary>
public sealed class OrderBuilder
{
    /// <summary>How far ahead a GTD expiration must be, in seconds (ts-sdk's rule).</summary>
    public const long MinimumGtdLeadSeconds = 180;

    private readonly PrivateKey key;
    private readonly OrderBuilderOptions options;
    private readonly Func<long> salt;

    /// <summary>Creates a builder.</summary>
    /// <param name="key">The signing EOA key (the deposit wallet's owner for POLY_1271).</param>
    /// <param name="options">Chain, signature type, funder, salt source and clock; defaults when null.</param>
    /// <exception cref="ArgumentException">The funder does not fit the signature type.</exception>
    public OrderBuilder(PrivateKey key, OrderBuilderOptions? options = null)
    {
        this.key = key ?? throw new ArgumentNullException(nameof(key));
        this.options = options ?? new OrderBuilderOptions();
        salt = this.options.SaltSource ?? RandomSalt;
        var funder = this.options.Funder;
        (Maker, Signer) = this.options.SignatureType switch
        {
            SignatureType.Eoa when funder is null || funder == key.Address => (key.Address, key.Address),
            SignatureType.Eoa => throw new ArgumentException("An EOA order's funder must be the key's own address.", nameof(options)),
            SignatureType.PolyProxy or SignatureType.PolyGnosisSafe => (
                funder ?? throw new ArgumentException("POLY_PROXY and POLY_GNOSIS_SAFE orders need the funder (proxy or Safe) address.", nameof(options)),
                key.Address),
            SignatureType.Poly1271 => (
                funder ?? throw new ArgumentException("POLY_1271 orders need the deposit wallet as funder.", nameof(options)),
                funder),
            _ => throw new ArgumentOutOfRangeException(nameof(options), "Unknown signature type."),
        };
        if (this.options.ChainId is not (ChainIds.Polygon or ChainIds.Amoy))
        {
            throw new ArgumentException($"No Polymarket exchange addresses are known for chain {this.options.ChainId}.", nameof(options));
        }
    }

    /// <summary>The order <c>maker</c> (the funder).</summary>
    public Address Maker { get; }

    /// <summary>The order <c>signer</c>.</summary>
    public Address Signer { get; }

    /// <summary>The signature type of every order.</summary>
    public SignatureType SignatureType => options.SignatureType;

    /// <summary>The chain id.</summary>
    public long ChainId => options.ChainId;

    /// <summary>The exchange domain of a market on this builder's chain.</summary>
    /// <param name="market">The market.</param>
    /// <returns>The domain.</returns>
    public ExchangeDomain DomainFor(MarketInfo market)
    {
        ArgumentNullException.ThrowIfNull(market);
        return ExchangeDomain.For(options.ChainId, market.NegRisk, market.ProtocolV2);
    }

    /// <summary>
    /// Validates a limit order and builds it (unsigned). A limit order may be posted FOK/FAK (a marketable limit
    /// order); its notional must then reach <see cref="MarketInfo.MinimumMarketNotional"/>.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="market">The market's rules.</param>
    /// <returns>The order, or why it cannot be placed.</returns>
    public OrderResult<Order> BuildLimitOrder(LimitOrderRequest request, MarketInfo market)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(market);
        if (CheckPrice(request.Price, market.TickSize) is { } priceError)
        {
            return OrderResult<Order>.Fail(priceError);
        }

        if (request.Size <= 0m)
        {
            return Fail(OrderErrorKind.SizeNotPositive, $"The size must be positive, got {request.Size}.");
        }

        if (request.Size > OrderAmounts.MaxWholeAmount)
        {
            return Fail(OrderErrorKind.AmountTooLarge, $"The size {request.Size} exceeds {OrderAmounts.MaxWholeAmount}.");
        }

        var roundedSize = Math.Round(request.Size, market.TickSize.SizeDecimals, MidpointRounding.ToZero);
        if (roundedSize < market.MinimumOrderSize)
        {
            return Fail(OrderErrorKind.BelowMinimumSize, $"The size {roundedSize} is below the market minimum of {market.MinimumOrderSize} shares.");
        }

        if (request.OrderType is OrderType.Fok or OrderType.Fak && roundedSize * request.Price < market.MinimumMarketNotional)
        {
            return Fail(
                OrderErrorKind.BelowMinimumNotional,
                $"The notional {roundedSize * request.Price} pUSD of a marketable order is below the minimum of {market.MinimumMarketNotional}.");
        }

        if (CheckExpiration(request.OrderType, request.Expiration) is { } expirationError)
        {
            return OrderResult<Order>.Fail(expirationError);
        }

        if (!OrderAmounts.TryForLimitOrder(request.Side, request.Price, request.Size, market.TickSize, out var amounts))
        {
            return Fail(OrderErrorKind.AmountTooLarge, "The order amounts do not fit.");
        }

        return CreateOrder(request.TokenId, request.Side, amounts, request.Expiration);
    }

    /// <summary>Validates a market order (FOK/FAK) and builds it (unsigned).</summary>
    /// <param name="request">The request.</param>
    /// <param name="market">The market's rules.</param>
    /// <returns>The order, or why it cannot be placed.</returns>
    public OrderResult<Order> BuildMarketOrder(MarketOrderRequest request, MarketInfo market)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(market);
        if (request.OrderType is not (OrderType.Fok or OrderType.Fak))
        {
            return Fail(OrderErrorKind.InvalidOrderType, $"A market order is FOK or FAK, not {request.OrderType.ToWire()}.");
        }

        if (CheckPrice(request.Price, market.TickSize) is { } priceError)
        {
            return OrderResult<Order>.Fail(priceError);
        }

        if (request.Amount <= 0m)
        {
            return Fail(OrderErrorKind.SizeNotPositive, $"The amount must be positive, got {request.Amount}.");
        }

        if (request.Amount > OrderAmounts.MaxWholeAmount)
        {
            return Fail(OrderErrorKind.AmountTooLarge, $"The amount {request.Amount} exceeds {OrderAmounts.MaxWholeAmount}.");
        }

        var rounded = Math.Round(request.Amount, market.TickSize.SizeDecimals, MidpointRounding.ToZero);
        var notional = request.Side == Side.Buy ? rounded : rounded * request.Price;
        if (notional < market.MinimumMarketNotional)
        {
            return Fail(OrderErrorKind.BelowMinimumNotional, $"The notional {notional} pUSD is below the minimum of {market.MinimumMarketNotional}.");
        }

        if (!OrderAmounts.TryForMarketOrder(request.Side, request.Price, request.Amount, market.TickSize, request.ProtectPrice, out var amounts))
        {
            return Fail(OrderErrorKind.AmountTooLarge, "The order amounts do not fit.");
        }

        return CreateOrder(request.TokenId, request.Side, amounts, 0);
    }

    /// <summary>Signs an order for a market's exchange domain on this builder's chain.</summary>
    /// <param name="order">The order.</param>
    /// <param name="market">The market.</param>
    /// <returns>The signed order.</returns>
    public SignedOrder Sign(Order order, MarketInfo market) => OrderSigner.Sign(order, DomainFor(market), key);

    /// <summary>Signs an order for an explicit exchange domain.</summary>
    /// <param name="order">The order.</param>
    /// <param name="domain">The domain.</param>
    /// <returns>The signed order.</returns>
    public SignedOrder Sign(Order order, ExchangeDomain domain) => OrderSigner.Sign(order, domain, key);

    /// <summary>Builds and signs a limit order.</summary>
    /// <param name="request">The request.</param>
    /// <param name="market">The market's rules.</param>
    /// <returns>The signed order, or why it cannot be placed.</returns>
    public OrderResult<SignedOrder> CreateLimitOrder(LimitOrderRequest request, MarketInfo market)
    {
        var built = BuildLimitOrder(request, market);
        return built.TryGetValue(out var order) ? OrderResult<SignedOrder>.Ok(Sign(order, market)) : OrderResult<SignedOrder>.Fail(built.Error!);
    }

    /// <summary>Builds and signs a market order.</summary>
    /// <param name="request">The request.</param>
    /// <param name="market">The market's rules.</param>
    /// <returns>The signed order, or why it cannot be placed.</returns>
    public OrderResult<SignedOrder> CreateMarketOrder(MarketOrderRequest request, MarketInfo market)
    {
        var built = BuildMarketOrder(request, market);
        return built.TryGetValue(out var order) ? OrderResult<SignedOrder>.Ok(Sign(order, market)) : OrderResult<SignedOrder>.Fail(built.Error!);
    }

    /// <summary>Checks a price against a tick: within [tick, 1 − tick] and a whole number of ticks.</summary>
    /// <param name="price">The price.</param>
    /// <param name="tick">The tick.</param>
    /// <returns>The error, or null when the price is valid.</returns>
    public static OrderError? CheckPrice(decimal price, TickSize tick)
    {
        ArgumentNullException.ThrowIfNull(tick);
        if (price < tick.Value || price > 1m - tick.Value)
        {
            return new OrderError(OrderErrorKind.PriceOutOfRange, $"The price {price} is outside [{tick.Value}, {1m - tick.Value}].");
        }

        return tick.IsOnGrid(price) ? null : new OrderError(OrderErrorKind.PriceOffTick, $"The price {price} is not a multiple of the tick {tick}.");
    }

    private OrderError? CheckExpiration(OrderType orderType, long expiration)
    {
        if (orderType != OrderType.Gtd)
        {
            return expiration == 0 ? null : new OrderError(OrderErrorKind.InvalidExpiration, $"Only GTD orders carry an expiration ({orderType.ToWire()} had {expiration}).");
        }

        var earliest = options.TimeProvider.GetUtcNow().ToUnixTimeSeconds() + MinimumGtdLeadSeconds;
        return expiration >= earliest
            ? null
            : new OrderError(OrderErrorKind.InvalidExpiration, $"A GTD expiration must be at least {MinimumGtdLeadSeconds} s ahead (≥ {earliest}), got {expiration}.");
    }

    private OrderResult<Order> CreateOrder(TokenId tokenId, Side side, OrderAmounts amounts, long expiration)
    {
        if (amounts.MakerAmount == 0 || amounts.TakerAmount == 0)
        {
            return Fail(OrderErrorKind.AmountRoundsToZero, $"An amount rounds to zero ({amounts}).");
        }

        return OrderResult<Order>.Ok(new Order(
            salt(),
            Maker,
            Signer,
            tokenId ?? throw new ArgumentNullException(nameof(tokenId)),
            amounts.MakerAmount,
            amounts.TakerAmount,
            side,
            options.SignatureType,
            options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds(),
            options.Metadata,
            options.BuilderCode,
            expiration));
    }

    private static OrderResult<Order> Fail(OrderErrorKind kind, string message) => OrderResult<Order>.Fail(kind, message);

    private static long RandomSalt()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return BinaryPrimitives.ReadInt64LittleEndian(bytes) & Order.MaxSalt;
    }
}
