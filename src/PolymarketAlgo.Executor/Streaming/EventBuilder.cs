using PolymarketAlgo.Executor.Books;

namespace PolymarketAlgo.Executor.Streaming;

/// <summary>The properties the parser understands; everything else is skipped.</summary>
internal enum Field : byte
{
    Unknown,
    EventType,
    AssetId,
    Market,
    Price,
    Size,
    Side,
    Hash,
    BestBid,
    BestAsk,
    Spread,
    Timestamp,
    Bids,
    Asks,
    PriceChanges,
    Changes,
    TickSize,
    MinOrderSize,
    NegRisk,
    LastTradePrice,
    OldTickSize,
    NewTickSize,
    FeeRateBps,
    TakerOrderId,
    Type,
}

/// <summary>The JSON kind of a scalar value.</summary>
internal enum ValueKind : byte
{
    String,
    Number,
    True,
    False,
    Null,
}

/// <summary>
/// Scratch state for one event object, filled by either tokenizer (the fast scanner or the
/// <see cref="System.Text.Json.Utf8JsonReader"/> path) and dispatched when the object ends.
/// Reused for every object: steady-state parsing does not allocate.
/// </summary>
internal sealed class EventBuilder
{
    private readonly AssetIdTable _ids;
    private ChangeItem[] _changes = new ChangeItem[8];
    private int _changeCount;
    private ChangeItem _change;
    private decimal? _levelPrice;
    private decimal? _levelSize;

    private MarketEventType? _type;
    private bool _typeSeen;
    private string? _assetId;
    private string? _market;
    private decimal? _price;
    private decimal? _size;
    private decimal? _bestBid;
    private decimal? _bestAsk;
    private decimal? _spread;
    private decimal? _tickSize;
    private decimal? _minOrderSize;
    private decimal? _lastTradePrice;
    private decimal? _oldTickSize;
    private decimal? _newTickSize;
    private decimal? _feeRateBps;
    private bool? _negRisk;
    private byte _side;
    private BookHash _hash;
    private long? _timestamp;
    private bool _hasTakerOrderId;
    private MarketEventType? _typeHint;
    private bool _error;

    public EventBuilder(AssetIdTable ids) => _ids = ids;

    public BookMessage Book { get; } = new();

    public void Reset()
    {
        _changeCount = 0;
        _type = null;
        _typeSeen = false;
        _assetId = null;
        _market = null;
        _price = null;
        _size = null;
        _bestBid = null;
        _bestAsk = null;
        _spread = null;
        _tickSize = null;
        _minOrderSize = null;
        _lastTradePrice = null;
        _oldTickSize = null;
        _newTickSize = null;
        _feeRateBps = null;
        _negRisk = null;
        _side = 0;
        _hash = default;
        _timestamp = null;
        _hasTakerOrderId = false;
        _typeHint = null;
        _error = false;
        Book.Reset();
    }

    /// <summary>Marks the object as malformed (a known field had a value of the wrong shape).</summary>
    public void Fail() => _error = true;

    public static Field Lookup(ReadOnlySpan<byte> name)
    {
        switch (name.Length)
        {
            case 4:
                if (name.SequenceEqual("size"u8))
                {
                    return Field.Size;
                }

                if (name.SequenceEqual("side"u8))
                {
                    return Field.Side;
                }

                if (name.SequenceEqual("hash"u8))
                {
                    return Field.Hash;
                }

                if (name.SequenceEqual("bids"u8))
                {
                    return Field.Bids;
                }

                if (name.SequenceEqual("asks"u8))
                {
                    return Field.Asks;
                }

                return name.SequenceEqual("type"u8) ? Field.Type : Field.Unknown;
            case 5:
                return name.SequenceEqual("price"u8) ? Field.Price : Field.Unknown;
            case 6:
                if (name.SequenceEqual("market"u8))
                {
                    return Field.Market;
                }

                return name.SequenceEqual("spread"u8) ? Field.Spread : Field.Unknown;
            case 7:
                return name.SequenceEqual("changes"u8) ? Field.Changes : Field.Unknown;
            case 8:
                if (name.SequenceEqual("asset_id"u8))
                {
                    return Field.AssetId;
                }

                if (name.SequenceEqual("best_bid"u8))
                {
                    return Field.BestBid;
                }

                if (name.SequenceEqual("best_ask"u8))
                {
                    return Field.BestAsk;
                }

                return name.SequenceEqual("neg_risk"u8) ? Field.NegRisk : Field.Unknown;
            case 9:
                if (name.SequenceEqual("timestamp"u8))
                {
                    return Field.Timestamp;
                }

                return name.SequenceEqual("tick_size"u8) ? Field.TickSize : Field.Unknown;
            case 10:
                return name.SequenceEqual("event_type"u8) ? Field.EventType : Field.Unknown;
            case 12:
                return name.SequenceEqual("fee_rate_bps"u8) ? Field.FeeRateBps : Field.Unknown;
            case 13:
                if (name.SequenceEqual("price_changes"u8))
                {
                    return Field.PriceChanges;
                }

                if (name.SequenceEqual("old_tick_size"u8))
                {
                    return Field.OldTickSize;
                }

                if (name.SequenceEqual("new_tick_size"u8))
                {
                    return Field.NewTickSize;
                }

                return Field.Unknown;
            case 14:
                if (name.SequenceEqual("min_order_size"u8))
                {
                    return Field.MinOrderSize;
                }

                return name.SequenceEqual("taker_order_id"u8) ? Field.TakerOrderId : Field.Unknown;
            case 16:
                return name.SequenceEqual("last_trade_price"u8) ? Field.LastTradePrice : Field.Unknown;
            default:
                return Field.Unknown;
        }
    }

    public void SetTop(Field field, ValueKind kind, ReadOnlySpan<byte> value)
    {
        if (kind == ValueKind.Null)
        {
            return;
        }

        switch (field)
        {
            case Field.EventType:
                _typeSeen = true;
                _type = kind == ValueKind.String ? EventTypeOf(value) : null;
                break;
            case Field.AssetId:
                _assetId = Id(kind, value);
                break;
            case Field.Market:
                _market = Id(kind, value);
                break;
            case Field.Price:
                _price = Dec(kind, value);
                break;
            case Field.Size:
                _size = Dec(kind, value);
                break;
            case Field.Side:
                _side = SideOf(kind, value);
                break;
            case Field.Hash:
                _hash = kind == ValueKind.String && BookHash.TryParse(value, out var h) ? h : default;
                break;
            case Field.BestBid:
                _bestBid = Dec(kind, value);
                break;
            case Field.BestAsk:
                _bestAsk = Dec(kind, value);
                break;
            case Field.Spread:
                _spread = Dec(kind, value);
                break;
            case Field.Timestamp:
                _timestamp = Int(kind, value);
                break;
            case Field.TickSize:
                _tickSize = Dec(kind, value);
                break;
            case Field.MinOrderSize:
                _minOrderSize = Dec(kind, value);
                break;
            case Field.NegRisk:
                _negRisk = kind switch
                {
                    ValueKind.True => true,
                    ValueKind.False => false,
                    ValueKind.String when value.SequenceEqual("true"u8) => true,
                    ValueKind.String when value.SequenceEqual("false"u8) => false,
                    _ => null,
                };
                break;
            case Field.LastTradePrice:
                _lastTradePrice = Dec(kind, value);
                break;
            case Field.OldTickSize:
                _oldTickSize = Dec(kind, value);
                break;
            case Field.NewTickSize:
                _newTickSize = Dec(kind, value);
                break;
            case Field.FeeRateBps:
                _feeRateBps = Dec(kind, value);
                break;
            case Field.TakerOrderId:
                _hasTakerOrderId = true;
                break;
            case Field.Type:
                if (kind == ValueKind.String)
                {
                    _typeHint =
                        value.SequenceEqual("TRADE"u8) ? MarketEventType.Trade
                        : value.SequenceEqual("PLACEMENT"u8)
                        || value.SequenceEqual("UPDATE"u8)
                        || value.SequenceEqual("CANCELLATION"u8)
                            ? MarketEventType.Order
                        : null;
                }

                break;
        }
    }

    public void BeginLevel()
    {
        _levelPrice = null;
        _levelSize = null;
    }

    public void SetLevel(Field field, ValueKind kind, ReadOnlySpan<byte> value)
    {
        if (field == Field.Price)
        {
            _levelPrice = Dec(kind, value);
        }
        else if (field == Field.Size)
        {
            _levelSize = Dec(kind, value);
        }
    }

    public void EndLevel(BookSide side)
    {
        if (_levelPrice is { } price && _levelSize is { } size)
        {
            Book.Add(side, new PriceLevel(price, size));
        }
        else
        {
            _error = true;
        }
    }

    public void AddLevel(BookSide side, decimal price, decimal size) => Book.Add(side, new PriceLevel(price, size));

    public void BeginChange() => _change = default;

    public void SetChange(Field field, ValueKind kind, ReadOnlySpan<byte> value)
    {
        if (kind == ValueKind.Null)
        {
            return;
        }

        switch (field)
        {
            case Field.AssetId:
                _change.AssetId = Id(kind, value);
                break;
            case Field.Price:
                _change.Price = Dec(kind, value);
                break;
            case Field.Size:
                _change.Size = Dec(kind, value);
                break;
            case Field.Side:
                _change.Side = SideOf(kind, value);
                break;
            case Field.Hash:
                _change.Hash = kind == ValueKind.String && BookHash.TryParse(value, out var h) ? h : default;
                break;
            case Field.BestBid:
                _change.BestBid = Dec(kind, value);
                break;
            case Field.BestAsk:
                _change.BestAsk = Dec(kind, value);
                break;
        }
    }

    public void EndChange()
    {
        if (_changeCount == _changes.Length)
        {
            Array.Resize(ref _changes, _changes.Length * 2);
        }

        _changes[_changeCount++] = _change;
    }

    /// <summary>Hands the finished object to the handler.</summary>
    /// <param name="handler">The handler.</param>
    /// <param name="objectUtf8">The object's bytes, for the rare events parsed into full records.</param>
    /// <param name="stats">The counters.</param>
    public void Dispatch(MarketEventHandler handler, ReadOnlySpan<byte> objectUtf8, ParserStatistics stats)
    {
        var type = _type ?? (_typeSeen ? null : _typeHint ?? (_hasTakerOrderId ? MarketEventType.Trade : null));
        if (type is not { } t)
        {
            stats.UnknownEvents++;
            return;
        }

        if (_error && t is not (MarketEventType.NewMarket or MarketEventType.MarketResolved or MarketEventType.Order or MarketEventType.Trade))
        {
            stats.MalformedEvents++;
            return;
        }

        switch (t)
        {
            case MarketEventType.Book:
                if (_assetId is null)
                {
                    break;
                }

                Book.AssetId = _assetId;
                Book.Market = _market;
                Book.TimestampMs = _timestamp ?? 0;
                Book.Hash = _hash;
                Book.TickSize = _tickSize;
                Book.MinOrderSize = _minOrderSize;
                Book.LastTradePrice = _lastTradePrice;
                Book.NegRisk = _negRisk;
                stats.Count(t, 1);
                handler.OnBook(Book);
                return;
            case MarketEventType.PriceChange:
                if (DispatchPriceChanges(handler, stats))
                {
                    return;
                }

                break;
            case MarketEventType.LastTradePrice:
                if (_assetId is null || _price is not { } tradePrice)
                {
                    break;
                }

                stats.Count(t, 1);
                handler.OnLastTradePrice(
                    new LastTradePrice(
                        _assetId,
                        _market,
                        tradePrice,
                        _size,
                        _side == 0 ? null : (TradeSide)(_side - 1),
                        _feeRateBps,
                        _timestamp ?? 0
                    )
                );
                return;
            case MarketEventType.TickSizeChange:
                if (_assetId is null || _newTickSize is not { } newTick || newTick <= 0m)
                {
                    break;
                }

                stats.Count(t, 1);
                handler.OnTickSizeChange(new TickSizeChange(_assetId, _market, _oldTickSize, newTick, _timestamp ?? 0));
                return;
            case MarketEventType.BestBidAsk:
                if (_assetId is null)
                {
                    break;
                }

                stats.Count(t, 1);
                handler.OnBestBidAsk(new BestBidAsk(_assetId, _market, _bestBid, _bestAsk, _spread, _timestamp ?? 0));
                return;
            default:
                if (ColdEvents.Dispatch(t, objectUtf8, handler))
                {
                    stats.Count(t, 1);
                    return;
                }

                break;
        }

        stats.MalformedEvents++;
    }

    private bool DispatchPriceChanges(MarketEventHandler handler, ParserStatistics stats)
    {
        var timestamp = _timestamp ?? 0;
        if (_changeCount == 0)
        {
            if (_assetId is null || _price is not { } price || _size is not { } size || _side == 0 || size < 0m)
            {
                return false;
            }

            stats.Count(MarketEventType.PriceChange, 1);
            handler.OnPriceChange(
                new PriceChange(
                    _assetId,
                    _market,
                    (BookSide)(_side - 1),
                    price,
                    size,
                    _bestBid,
                    _bestAsk,
                    _hash,
                    timestamp
                )
            );
            return true;
        }

        for (var i = 0; i < _changeCount; i++)
        {
            ref readonly var c = ref _changes[i];
            if ((c.AssetId ?? _assetId) is null || c.Price is null || c.Size is not { } s || s < 0m || c.Side == 0)
            {
                return false;
            }
        }

        stats.Count(MarketEventType.PriceChange, _changeCount);
        for (var i = 0; i < _changeCount; i++)
        {
            var c = _changes[i];
            handler.OnPriceChange(
                new PriceChange(
                    (c.AssetId ?? _assetId)!,
                    _market,
                    (BookSide)(c.Side - 1),
                    c.Price!.Value,
                    c.Size!.Value,
                    c.BestBid,
                    c.BestAsk,
                    c.Hash,
                    timestamp
                )
            );
        }

        return true;
    }

    private static MarketEventType? EventTypeOf(ReadOnlySpan<byte> v) =>
        v.Length switch
        {
            4 when v.SequenceEqual("book"u8) => MarketEventType.Book,
            5 when v.SequenceEqual("order"u8) => MarketEventType.Order,
            5 when v.SequenceEqual("trade"u8) => MarketEventType.Trade,
            10 when v.SequenceEqual("new_market"u8) => MarketEventType.NewMarket,
            12 when v.SequenceEqual("price_change"u8) => MarketEventType.PriceChange,
            12 when v.SequenceEqual("best_bid_ask"u8) => MarketEventType.BestBidAsk,
            15 when v.SequenceEqual("market_resolved"u8) => MarketEventType.MarketResolved,
            16 when v.SequenceEqual("last_trade_price"u8) => MarketEventType.LastTradePrice,
            16 when v.SequenceEqual("tick_size_change"u8) => MarketEventType.TickSizeChange,
            _ => null,
        };

    /// <summary>0 = none, 1 = BUY (bid), 2 = SELL (ask).</summary>
    private byte SideOf(ValueKind kind, ReadOnlySpan<byte> v)
    {
        if (kind == ValueKind.String)
        {
            if (v.SequenceEqual("BUY"u8) || v.SequenceEqual("buy"u8))
            {
                return 1;
            }

            if (v.SequenceEqual("SELL"u8) || v.SequenceEqual("sell"u8))
            {
                return 2;
            }
        }

        _error = true;
        return 0;
    }

    private string? Id(ValueKind kind, ReadOnlySpan<byte> v)
    {
        if (kind is ValueKind.String or ValueKind.Number && v.Length > 0)
        {
            return _ids.Intern(v);
        }

        _error = true;
        return null;
    }

    private decimal? Dec(ValueKind kind, ReadOnlySpan<byte> v)
    {
        if (kind is ValueKind.String or ValueKind.Number && Utf8Numbers.TryParseDecimal(v, out var d))
        {
            return d;
        }

        if (kind == ValueKind.String && v.Length == 0)
        {
            return null;
        }

        _error = true;
        return null;
    }

    private long? Int(ValueKind kind, ReadOnlySpan<byte> v)
    {
        if (kind is ValueKind.String or ValueKind.Number && Utf8Numbers.TryParseInt64(v, out var n))
        {
            return n;
        }

        if (kind == ValueKind.String && v.Length == 0)
        {
            return null;
        }

        _error = true;
        return null;
    }

    private struct ChangeItem
    {
        public string? AssetId;
        public decimal? Price;
        public decimal? Size;
        public decimal? BestBid;
        public decimal? BestAsk;
        public BookHash Hash;
        public byte Side;
    }
}
