module PolymarketAlgo.Simulator.Tests.RecordedDataTests

open System
open Expecto
open FsCheck
open FsCheck.FSharp
open Microsoft.Extensions.Time.Testing
open PolymarketAlgo.Executor.Orders
open PolymarketAlgo.Simulator.Clock
open PolymarketAlgo.Simulator.Markets
open PolymarketAlgo.Simulator.Tests.TestHelpers

[<Tests>]
let tests =
    testSequenced
    <| testList
        "RecordedData"
        [
            testCase "loads the three recorded book windows with the row counts of SOURCES.md"
            <| fun () ->
                let windows = recorded.Value.BookWindows

                Expect.equal
                    [ for w in windows -> w.Slug, w.Snapshots.Count ]
                    [
                        "btc-updown-5m-1776323700", 4550
                        "btc-updown-5m-1776324000", 3956
                        "btc-updown-5m-1776324300", 3134
                    ]
                    "slugs and books"

                let first = windows[0]

                Expect.equal
                    first.ConditionId
                    "0x93409ce2e4673f772b30e6b578381e5f59b9d78492c116181365968b3fee5b14"
                    "the recorded market"

                Expect.equal
                    first.AssetId
                    "74701087075247551430598743586978439006787238610582008769557958740730804079538"
                    "the recorded asset"

                Expect.equal first.Snapshots[0].OffsetMs 5176L "the first book arrives 5.176 s into the window"

            testCase "the final recorded book of the first window has no bids, so its asset lost"
            <| fun () ->
                let first = firstWindow ()
                Expect.isEmpty first.Snapshots[first.Snapshots.Count - 1].Bids "no bids at the end"
                Expect.isLessThan first.FinalPrice 0.05m "the final price is near 0"
                Expect.isFalse first.AssetWon "the recorded asset lost"

            testCase "loads the 292 Gamma markets of the Ligengxin day (137 Up) and the two nautilus fixtures"
            <| fun () ->
                let gamma = recorded.Value.GammaMarkets
                Expect.equal gamma.Count 294 "292 + 2 markets"

                let day = gamma.Values |> Seq.filter (fun m -> m.Source.StartsWith "BTC-5m-markets")
                Expect.equal (day |> Seq.filter (fun m -> m.UpWon = Nullable true) |> Seq.length) 137 "137 resolved Up"

                let nautilus = gamma[1773307200L]
                Expect.equal nautilus.Source "gamma_market.json" "the nautilus fixture"
                Expect.equal nautilus.UpWon (Nullable true) "its outcome comes from the felixdoteth history (up)"

            testCase "converts the py-sdk Data API fixtures to the v1 camelCase shape"
            <| fun () ->
                let row = recorded.Value.FixtureActivity[0]
                Expect.equal (string row["proxyWallet"]) "0x7c3db723f1d4d8cb9c550095203b686cb11e5c6b" "proxyWallet"
                Expect.equal (row["usdcSize"].GetValue<decimal>()) 13.285715m "usdcSize"

                Expect.equal
                    (string row["asset"])
                    "98255364887669934733864645030488537034263699416357729920734267612805930214172"
                    "token_id becomes asset"

                Expect.equal
                    (string row["transactionHash"])
                    "0xa661459fc2483ddb4e5c7d13c76347fa2b1fb2faae10eed484c810ae46c471dd"
                    "hash"

                Expect.equal recorded.Value.FixtureTrades.Count 2 "two fixture trades"
        ]

/// One catalog for the property test (building one registers every recorded window).
let private sharedCatalog = lazy (WindowCatalog(recorded.Value))

[<Tests>]
let catalogTests =
    testSequenced
    <| testList
        "WindowCatalog"
        [
            testCase "titles every recorded Gamma market exactly as Gamma did (US Eastern time, both DST regimes)"
            <| fun () ->
                for market in recorded.Value.GammaMarkets.Values do
                    Expect.equal
                        ("Bitcoin Up or Down - "
                         + EasternTime.Range(market.StartUnixSeconds, market.StartUnixSeconds + 300L))
                        (string market.Raw["question"])
                        market.Slug

            testCase "keeps the real ids and outcome of a recorded Gamma window"
            <| fun () ->
                let catalog = WindowCatalog(recorded.Value)
                let window = catalog.Get 1780876500L

                Expect.equal
                    window.ConditionId
                    "0x6fa121d31b5ed65b5c34b32ae646e4751b37ffd49c3cbcc379b055e22e27094c"
                    "condition"

                Expect.equal
                    window.UpTokenId
                    "106853212325739234269605042620856745942429109258639927166403506431703417105118"
                    "Up token"

                Expect.isTrue window.UpWins "outcome_prices [1, 0]"
                Expect.equal window.TickSize 0.001m "the June tick"
                Expect.equal window.FeeRate 0.07m "the recorded fee schedule"

            testCase "keeps the recorded condition id and asset (as Up) of a recorded book window"
            <| fun () ->
                let catalog = WindowCatalog(recorded.Value)
                let window = catalog.Get 1776323700L
                Expect.equal window.ConditionId (firstWindow().ConditionId) "condition"
                Expect.equal window.UpTokenId (firstWindow().AssetId) "Up is the recorded asset"
                Expect.isTrue window.RecordedAssetIsUp "Up replays the recorded book"
                Expect.isFalse window.UpWins "Down wins, as the final book implies"
                Expect.isTrue (window.OutcomeSource.Contains "implied") "the outcome source"

            testCase "derives the same ids for a synthetic window in every catalog, distinct per outcome"
            <| fun () ->
                let a = WindowCatalog(recorded.Value).Get 1795501200L
                let b = WindowCatalog(recorded.Value).Get 1795501200L

                Expect.equal
                    (a.UpTokenId, a.DownTokenId, a.ConditionId)
                    (b.UpTokenId, b.DownTokenId, b.ConditionId)
                    "deterministic"

                Expect.notEqual a.UpTokenId a.DownTokenId "two tokens"
                Expect.isFalse (TokenId.Parse(a.UpTokenId).IsProtocolV2PositionId) "a classic CTF token id"
                Expect.equal a.Slug "btc-updown-5m-1795501200" "slug"

            testCase "finds materialized windows by token and condition id"
            <| fun () ->
                let catalog = WindowCatalog(recorded.Value)
                catalog.Materialize(1795500000L, 1795503000L)
                let window = catalog.Get 1795501500L
                let found, byToken = catalog.TryGetByToken window.DownTokenId
                Expect.isTrue found "by token"
                Expect.equal byToken.StartUnixSeconds 1795501500L "the same window"

                let found, byCondition =
                    catalog.TryGetByCondition(window.ConditionId.ToUpperInvariant())

                Expect.isTrue found "by condition id, case-insensitively"
                Expect.equal byCondition.Slug window.Slug "the same window"

            testProp "orients every synthetic window's replayed book towards its outcome"
            <| fun (PositiveInt n) ->
                let window = sharedCatalog.Value.Get(1795501200L + 300L * int64 (n % 100_000))
                window.RecordedAssetIsUp = (window.Books.AssetWon = window.UpWins)
        ]

[<Tests>]
let clockTests =
    testList
        "ReplayClock"
        [
            testCase "runs at the speed factor of the wall clock"
            <| fun () ->
                let wall = FakeTimeProvider(DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero))
                let start = DateTimeOffset.FromUnixTimeSeconds 1776323700L
                let clock = ReplayClock(start, Nullable 10.0, wall)
                wall.Advance(TimeSpan.FromSeconds 1.5)
                Expect.equal (clock.GetUtcNow()) (start.AddSeconds 15.0) "1.5 wall seconds are 15 simulated seconds"

            testCase "stands still at maximum speed until the replay moves it"
            <| fun () ->
                let wall = FakeTimeProvider()
                let start = DateTimeOffset.FromUnixTimeSeconds 1776323700L
                let clock = ReplayClock(start, Nullable(), wall)
                wall.Advance(TimeSpan.FromHours 1.0)
                Expect.equal (clock.GetUtcNow()) start "the wall clock does not move it"
                Expect.isTrue clock.IsMaxSpeed "maximum speed"

            testCase "rejects a speed that is not positive"
            <| fun () ->
                Expect.throwsT<ArgumentOutOfRangeException>
                    (fun () -> ReplayClock(DateTimeOffset.UnixEpoch, Nullable 0.0) |> ignore)
                    "zero speed"
        ]
