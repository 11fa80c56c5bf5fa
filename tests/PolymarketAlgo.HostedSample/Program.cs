// The executor as a library for another .NET app: a generic host whose services come from
// services.AddPolymarketClient(...). It finds the current btc-updown-5m window (UpDownMarkets), streams the Up
// token's book over the market WebSocket (MarketChannelFactory), places a small paper FOK buy through ITrader, and
// reads the order's events back from the journal (TradeJournal).
//
//   dotnet PolymarketAlgo.HostedSample.dll [--clob-url URL] [--gamma-url URL] [--data-api-url URL] [--ws-url URL]
//                                          [--journal FILE] [--amount PUSD] [--timeout-seconds N]
//
// The flags fill the "Polymarket" configuration section, which appsettings.json and environment variables
// (Polymarket__Api__ClobUrl=...) can set as well. Without flags it reads Polymarket's production endpoints: the
// order is paper either way. Exit codes: 0 done, 1 the operation failed, 2 bad input.

using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using PolymarketAlgo.Core;
using PolymarketAlgo.Executor.Books;
using PolymarketAlgo.Executor.Http;
using PolymarketAlgo.Executor.Journal;
using PolymarketAlgo.Executor.Markets;
using PolymarketAlgo.Executor.Streaming;
using PolymarketAlgo.Executor.Trading;

return await HostedSample.RunAsync(args);

/// <summary>The sample's steps.</summary>
internal static class HostedSample
{
    /// <summary>The sample's flags and the configuration keys they set.</summary>
    private static readonly Dictionary<string, string> Flags = new(StringComparer.Ordinal)
    {
        ["--clob-url"] = "Polymarket:Api:ClobUrl",
        ["--gamma-url"] = "Polymarket:Api:GammaUrl",
        ["--data-api-url"] = "Polymarket:Api:DataApiUrl",
        ["--ws-url"] = "Polymarket:MarketChannelUrl",
        ["--journal"] = "Polymarket:Trading:JournalPath",
        ["--amount"] = "Sample:Amount",
        ["--timeout-seconds"] = "Sample:TimeoutSeconds",
    };

    /// <summary>Builds the host, runs the steps and returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        IHost host;
        decimal amount;
        TimeSpan timeout;
        try
        {
            var builder = Host.CreateApplicationBuilder(args);
            builder.Configuration.AddCommandLine(args, Flags);

            // Logs go to stderr (warnings and up unless configured), so stdout holds the sample's lines.
            builder.Logging.ClearProviders();
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
            builder.Services.Configure<ConsoleLoggerOptions>(console =>
                console.LogToStandardErrorThreshold = LogLevel.Trace
            );

            builder.Services.AddPolymarketClient(
                builder.Configuration.GetSection("Polymarket"),
                options =>
                {
                    // `polymarket-algo sim serve` prints the WebSocket base URL; the market channel is its /ws/market.
                    if (options.MarketChannelUrl.IsAbsoluteUri && options.MarketChannelUrl.AbsolutePath == "/")
                    {
                        options.MarketChannelUrl = new Uri(options.MarketChannelUrl, "/ws/market");
                    }
                }
            );

            amount = builder.Configuration.GetValue("Sample:Amount", 2m);
            timeout = TimeSpan.FromSeconds(builder.Configuration.GetValue("Sample:TimeoutSeconds", 30));
            if (amount < 1m)
            {
                return Fail(2, $"--amount {amount} must be at least 1 pUSD (the venue's smallest marketable order)");
            }

            if (timeout <= TimeSpan.Zero)
            {
                return Fail(2, $"--timeout-seconds {timeout.TotalSeconds} must be positive");
            }

            host = builder.Build();
        }
        catch (Exception e) when (e is OptionsValidationException or FormatException or InvalidOperationException)
        {
            return Fail(2, e.Message);
        }

        using (host)
        {
            await host.StartAsync();
            var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            cancel.CancelAfter(timeout);
            var step = new Step();
            try
            {
                await TradeOnceAsync(host.Services, amount, step, cancel.Token);
                return 0;
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                return Fail(1, $"gave up after {timeout.TotalSeconds} s {step.Doing}");
            }
            catch (Exception e) when (e is SampleFailure or PolymarketApiException or InvalidOperationException)
            {
                return Fail(1, $"{e.Message} ({step.Doing})");
            }
            finally
            {
                await host.StopAsync();
            }
        }
    }

    /// <summary>Discovers the window, streams its book, places the paper order and prints its journal events.</summary>
    private static async Task TradeOnceAsync(IServiceProvider services, decimal amount, Step step, CancellationToken ct)
    {
        step.Doing = "finding the current btc-updown-5m window on Gamma";
        var market =
            await services.GetRequiredService<UpDownMarkets>().GetCurrentAsync(ct)
            ?? throw new SampleFailure("no current btc-updown-5m window on Gamma");
        Console.WriteLine(
            $"market {market.Slug} {market.Window.Start:u} to {market.Window.End:u} up {market.UpTokenId} down {market.DownTokenId}"
        );

        var channels = services.GetRequiredService<MarketChannelFactory>();
        step.Doing = $"waiting for the Up book on {channels.Options.Url}";
        var channel = channels.Create();
        var arrival = new BookArrival(channels.Books, market.UpTokenId);
        channel.AddHandler(arrival);
        using var stopChannel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var running = channel.RunAsync(stopChannel.Token);
        try
        {
            await channel.SubscribeAsync([market.UpTokenId, market.DownTokenId], ct);
            var firstEvent = await arrival.Task.WaitAsync(ct);
            if (!channels.Books.TryGetTop(market.UpTokenId, out var top) || top.BestAsk is not { } bestAsk)
            {
                throw new SampleFailure("the Up book has no asks to buy from");
            }

            Console.WriteLine(
                $"book Up via websocket {firstEvent}: best bid {Text(top.BestBid?.Price)} best ask {Text(bestAsk.Price)}"
            );

            step.Doing = "placing the paper order";
            var limit = Math.Min(bestAsk.Price + 0.05m, 0.99m);
            var id = "hosted-sample-" + Guid.NewGuid().ToString("N")[..12];
            var intent = new OrderIntent(
                id,
                market.Slug,
                market.Window.Start,
                StreakReversal.Outcome.Up,
                OrderSide.Buy,
                TimeInForce.Fok,
                amount,
                limit,
                0L,
                Fees.cryptoTakerRateDecimal,
                "hosted-sample",
                0m,
                0,
                "C# hosted sample: a FOK buy of Up, at most 0.05 above the best ask"
            );
            var trader = services.GetRequiredService<ITrader>();
            var order = new TradeOrder(intent, market.UpTokenId)
            {
                Context = new OrderContext { BestBid = top.BestBid?.Price, BestAsk = bestAsk.Price },
            };
            var result = await trader.PlaceMarketOrderAsync(order, ct);
            Console.WriteLine(
                $"order {id} {trader.Mode} {result.Status}: {Text(result.FilledShares)} shares for {Text(result.FilledNotional)} pUSD, fees {Text(result.Fees)}"
            );

            step.Doing = "reading the journal";
            var events = trader.Journal.ReadEvents().Where(e => EventCodec.ClientOrderId(e.Event) == id).ToList();
            Console.WriteLine($"journal {trader.Journal.Path}: {events.Count} events");
            foreach (var entry in events)
            {
                Console.WriteLine("  " + Describe(entry.Event));
            }

            if (!result.Status.IsFilled)
            {
                throw new SampleFailure($"the paper order was not filled: {result.Message}");
            }
        }
        finally
        {
            await stopChannel.CancelAsync();
            try
            {
                await running;
            }
            catch (OperationCanceledException) { }
        }
    }

    /// <summary>One line per journal event.</summary>
    private static string Describe(TradingEvent tradingEvent) =>
        EventCodec.Kind(tradingEvent)
        + " "
        + tradingEvent switch
        {
            TradingEvent.OrderPlaced e =>
                $"{e.Intent.Side} {e.Intent.Outcome} {e.Intent.TimeInForce} {Text(e.Intent.Amount)} pUSD at most {Text(e.Intent.Price)}",
            TradingEvent.OrderAccepted e => e.ExchangeOrderId,
            TradingEvent.Filled e => $"{Text(e.Shares)} at {Text(e.Price)} fee {Text(e.Fee)}",
            TradingEvent.OrderClosed e => $"{e.Status} {e.Reason}",
            TradingEvent.Rejected e => e.Reason,
            _ => "",
        };

    private static string Text(decimal? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";

    private static int Fail(int code, string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return code;
    }

    /// <summary>What the sample is doing, for the error line.</summary>
    private sealed class Step
    {
        public string Doing { get; set; } = "starting";
    }

    /// <summary>An expected failure, reported in one line.</summary>
    private sealed class SampleFailure(string message) : Exception(message);

    /// <summary>Completes when a book or price change for the token arrived over the WebSocket and its book is live.</summary>
    private sealed class BookArrival(BookManager books, string tokenId) : MarketEventHandler
    {
        private readonly TaskCompletionSource<string> _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<string> Task => _arrived.Task;

        public override void OnBook(BookMessage book) => Seen(book.AssetId, "book");

        public override void OnPriceChange(PriceChange change) => Seen(change.AssetId, "price_change");

        private void Seen(string assetId, string kind)
        {
            if (assetId == tokenId && books.GetStatus(tokenId) == BookStatus.Live)
            {
                _arrived.TrySetResult(kind);
            }
        }
    }
}
