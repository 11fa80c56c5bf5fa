namespace PolymarketAlgo.Executor.Orders;

/// <summary>
/// One <c>POST /order</c> body: a signed order, its owner (the API key), time-in-force and flags. Built through
/// <see cref="Create"/>, which checks that the flags fit the order type.
/// </summary>
public sealed record OrderSubmission
{
    private OrderSubmission(SignedOrder signedOrder, string owner, OrderType orderType, bool postOnly, bool deferExec)
    {
        SignedOrder = signedOrder;
        Owner = owner;
        OrderType = orderType;
        PostOnly = postOnly;
        DeferExec = deferExec;
    }

    /// <summary>The signed order.</summary>
    public SignedOrder SignedOrder { get; }

    /// <summary>The API key (UUID) that owns the order.</summary>
    public string Owner { get; }

    /// <summary>GTC, GTD, FOK or FAK.</summary>
    public OrderType OrderType { get; }

    /// <summary>Rest only: reject the order if it would cross the book (GTC/GTD only).</summary>
    public bool PostOnly { get; }

    /// <summary>Defer execution (optional server flag; false by default).</summary>
    public bool DeferExec { get; }

    /// <summary>Creates a submission, checking that GTD orders carry an expiration, others none, and post-only is GTC/GTD only.</summary>
    /// <param name="signedOrder">The signed order.</param>
    /// <param name="owner">The API key.</param>
    /// <param name="orderType">The time-in-force.</param>
    /// <param name="postOnly">Post-only flag.</param>
    /// <param name="deferExec">Defer-execution flag.</param>
    /// <returns>The submission, or why it is invalid.</returns>
    public static OrderResult<OrderSubmission> Create(SignedOrder signedOrder, string owner, OrderType orderType, bool postOnly = false, bool deferExec = false)
    {
        ArgumentNullException.ThrowIfNull(signedOrder);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        if (!Enum.IsDefined(orderType))
        {
            throw new ArgumentOutOfRangeException(nameof(orderType));
        }

        var expiration = signedOrder.Order.Expiration;
        if ((orderType == OrderType.Gtd) != (expiration > 0))
        {
            return OrderResult<OrderSubmission>.Fail(
                OrderErrorKind.InvalidExpiration,
                orderType == OrderType.Gtd ? "A GTD order needs an expiration." : $"A {orderType.ToWire()} order must have expiration 0, got {expiration}.");
        }

        if (postOnly && orderType is not (OrderType.Gtc or OrderType.Gtd))
        {
            return OrderResult<OrderSubmission>.Fail(OrderErrorKind.PostOnlyNotAllowed, $"post-only is allowed with GTC or GTD only, not {orderType.ToWire()}.");
        }

        return OrderResult<OrderSubmission>.Ok(new OrderSubmission(signedOrder, owner, orderType, postOnly, deferExec));
    }
}
