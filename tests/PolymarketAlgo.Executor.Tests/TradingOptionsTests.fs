module PolymarketAlgo.Executor.Tests.TradingOptionsTests

open System
open System.Collections.Generic
open System.IO
open Expecto
open PolymarketAlgo.Core
open PolymarketAlgo.Executor.Trading

let private dict (pairs: (string * string) list) : IReadOnlyDictionary<string, string> =
    Dictionary<string, string>(dict pairs) :> _

let private flags (pairs: (string * string) list) : IReadOnlyDictionary<string, string> = dict pairs

let private load flagPairs envPairs (dotEnv: string option) =
    let path =
        dotEnv
        |> Option.map (fun text ->
            let p = Path.Combine(Path.GetTempPath(), "pm-env-" + Guid.NewGuid().ToString("N"))
            File.WriteAllText(p, text)
            p)

    try
        TradingOptions.Load(flags flagPairs, dict envPairs, Option.toObj path)
    finally
        path |> Option.iter File.Delete

[<Tests>]
let tests =
    testList
        "TradingOptions"
        [
            testCase "defaults are the original's: paper, trigger 4, $5, 100 bets and $50 a day"
            <| fun () ->
                let result = load [] [] None
                Expect.isTrue result.IsValid "valid"
                let o = result.Options
                Expect.isFalse o.Live "paper"
                Expect.equal o.Trigger 4 "trigger"
                Expect.equal o.BetAmount 5m "amount"
                Expect.equal o.Risk.MaxDailyBets 100 "bets"
                Expect.equal o.Risk.MaxDailyLoss 50m "loss"
                Expect.equal o.Sources["MAX_DAILY_BETS"] OptionSource.Default "source"
            testCase "a flag beats the environment, which beats .env (the original ignored --max-bets)"
            <| fun () ->
                let dotEnv = "MAX_DAILY_BETS=50\nMAX_DAILY_LOSS=40\nSTREAK_TRIGGER=6\n"

                let result =
                    load [ "max-bets", "7" ] [ "MAX_DAILY_BETS", "20"; "MAX_DAILY_LOSS", "30" ] (Some dotEnv)

                let o = result.Options
                Expect.equal o.Risk.MaxDailyBets 7 "flag"
                Expect.equal o.Risk.MaxDailyLoss 30m "environment"
                Expect.equal o.Trigger 6 ".env"
                Expect.equal o.Sources["MAX_DAILY_BETS"] OptionSource.Flag "flag source"
                Expect.equal o.Sources["MAX_DAILY_LOSS"] OptionSource.Environment "environment source"
                Expect.equal o.Sources["STREAK_TRIGGER"] OptionSource.DotEnv ".env source"
            testCase
                "the copy bot's SelectiveFilter: on with the original's thresholds, tuned by SELECTIVE_* and flags, off by request"
            <| fun () ->
                Expect.equal (load [] [] None).Options.CopyFilter SelectiveFilter.defaults "on by default"

                let tuned =
                    load
                        [ "min-fill", "0.5" ]
                        [ "SELECTIVE_MAX_DELAY_MS", "5000"; "SELECTIVE_MIN_FILL_PRICE", "0.6" ]
                        (Some "SELECTIVE_MAX_SPREAD=0.04\nSELECTIVE_MIN_DEPTH_AT_BEST=10\n")

                Expect.equal
                    tuned.Options.CopyFilter
                    { SelectiveFilter.defaults with
                        MaxDelayMs = 5000L
                        MinFillPrice = 0.5
                        MaxSpread = 0.04
                        MinDepthAtBest = 10.0
                    }
                    "the flag beats the environment, which beats .env"

                Expect.isNull
                    (box (load [] [ "SELECTIVE_FILTER", "false" ] None).Options.CopyFilter)
                    "off (the original's default)"

                Expect.isNull
                    (box (load [ "selective-filter", "false" ] [ "SELECTIVE_FILTER", "true" ] None).Options.CopyFilter)
                    "off by flag"

                let bad =
                    load [] [ "SELECTIVE_MIN_FILL_PRICE", "0.9"; "SELECTIVE_MAX_SPREAD", "wide" ] None

                Expect.isFalse bad.IsValid "invalid"

                Expect.equal
                    (List.ofSeq bad.Errors)
                    [
                        "SELECTIVE_MAX_SPREAD (environment) must be a spread of at least 0, got 'wide'."
                        "SELECTIVE_MIN_FILL_PRICE (0.9) is above SELECTIVE_MAX_FILL_PRICE (0.8): the filter would refuse every copy."
                    ]
                    "one line per problem"
            testCase "--live wins over PAPER_TRADE=true, and PAPER_TRADE=false means live"
            <| fun () ->
                Expect.isTrue (load [ "live", null ] [ "PAPER_TRADE", "true" ] None).Options.Live "flag"
                Expect.isTrue (load [] [ "PAPER_TRADE", "false" ] None).Options.Live "environment"
                Expect.isFalse (load [ "paper", null ] [ "PAPER_TRADE", "false" ] None).Options.Live "--paper"
            testCase "reports every invalid value in one line naming where it came from"
            <| fun () ->
                let result =
                    load
                        [ "trigger", "1"; "sizing", "martingale" ]
                        [ "MAX_DAILY_LOSS", "lots" ]
                        (Some "MAX_PRICE=1.5\n")

                Expect.isFalse result.IsValid "invalid"

                Expect.equal
                    (List.ofSeq result.Errors)
                    [
                        "--trigger must be a whole number of at least 2, got '1'."
                        "MAX_DAILY_LOSS (environment) must be an amount of at least 0, got 'lots'."
                        "--sizing must be one of fixed, kelly, fraction, got 'martingale'."
                        "MAX_PRICE (.env) must be a price between 0 and 1, got '1.5'."
                    ]
                    "messages"
            testCase "refuses --live with --paper and a minimum bet above the bet amount"
            <| fun () ->
                let result = load [ "live", null; "paper", null; "min-bet", "10" ] [] None

                Expect.equal
                    (List.ofSeq result.Errors)
                    [
                        "--live and --paper contradict each other; give one."
                        "MIN_BET (10) is larger than BET_AMOUNT (5): no bet could be placed."
                    ]
                    "messages"
            testCase "builds the Core settings: quarter Kelly capped at the amount and fraction, the risk limits"
            <| fun () ->
                let o =
                    (load
                        [
                            "amount", "8"
                            "bankroll-fraction", "0.2"
                            "rates", "5m"
                            "entry-seconds", "15"
                        ]
                        [ "MAX_OPEN_ORDERS", "3" ]
                        None)
                        .Options

                let config = o.ToStreakConfig()
                Expect.equal config.Sizing (QuarterKelly(8m, 0.2m)) "sizing"
                Expect.equal config.ReversalRates Sizing.reversalRates5m "rates"
                Expect.equal config.EntryWindow (TimeSpan.FromSeconds 15.0) "entry"
                Expect.equal config.Risk.MaxOpenOrders 3 "risk"
                Expect.equal (o.ToSizingRule()) (QuarterKelly(8m, 0.2m)) "rule"
            testCase "a --bankroll flag overrides the journal's bankroll, the environment only seeds a new one"
            <| fun () ->
                Expect.isTrue (load [ "bankroll", "250" ] [] None).Options.BankrollOverride "flag"
                let fromEnv = (load [] [ "BANKROLL", "250" ] None).Options
                Expect.isFalse fromEnv.BankrollOverride "environment"
                Expect.equal fromEnv.Bankroll 250m "value"
            testCase "parses .env lines: comments, export, quotes, inline comments, later lines win"
            <| fun () ->
                let values =
                    DotEnv.Parse(
                        "# comment\nexport A=1\nB = \"two words\" \nC='x # y'\nD=4 # four\nA=5\nnot a line\n=6\r\n"
                    )

                Expect.equal
                    (values |> Seq.map (fun kv -> kv.Key, kv.Value) |> List.ofSeq |> List.sort)
                    [ "A", "5"; "B", "two words"; "C", "x # y"; "D", "4" ]
                    "values"
        ]
