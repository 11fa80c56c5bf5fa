module PolymarketAlgo.Executor.Tests.UpDownSeriesTests

open System
open Expecto
open Microsoft.Extensions.Time.Testing
open PolymarketAlgo.Executor.Markets
open PolymarketAlgo.Tests.TestHelpers

[<Tests>]
let tests =
    testList
        "UpDownSeries"
        [
            test "the March 12 05:20 ET window starts at 1773307200 (protocol reference §10)" {
                let window =
                    UpDownSeries.Btc5m.WindowAt(DateTimeOffset(2026, 3, 12, 9, 22, 13, TimeSpan.Zero))

                Expect.equal window.StartUnixSeconds 1773307200L "start"
                Expect.equal window.Slug "btc-updown-5m-1773307200" "slug"
                Expect.equal window.Start (DateTimeOffset(2026, 3, 12, 9, 20, 0, TimeSpan.Zero)) "09:20Z"
                Expect.equal window.End (DateTimeOffset(2026, 3, 12, 9, 25, 0, TimeSpan.Zero)) "09:25Z"
            }

            testProp
                "every instant lies in its window, which starts on a multiple of 300 s and round-trips through its slug"
            <| fun (FsCheck.NonNegativeInt seconds) ->
                let time = DateTimeOffset.FromUnixTimeSeconds(int64 seconds)
                let window = UpDownSeries.Btc5m.WindowAt time
                let ok, parsed = UpDownSeries.TryParse window.Slug

                window.StartUnixSeconds % 300L = 0L
                && window.Contains time
                && window.End - window.Start = TimeSpan.FromMinutes 5.0
                && ok
                && parsed = window

            test "the current, next and upcoming windows follow the clock" {
                let clock = FakeTimeProvider(DateTimeOffset(2026, 6, 8, 23, 59, 59, TimeSpan.Zero))
                let current = UpDownSeries.Btc5m.Current clock
                Expect.equal current.Slug "btc-updown-5m-1780962900" "23:55 window"
                Expect.equal (UpDownSeries.Btc5m.Next clock).Slug "btc-updown-5m-1780963200" "midnight window"

                Expect.equal
                    [ for w in UpDownSeries.Btc5m.Upcoming(clock, 3) -> w.StartUnixSeconds ]
                    [ 1780963200L; 1780963500L; 1780963800L ]
                    "three upcoming"

                clock.Advance(TimeSpan.FromSeconds 1.0)

                Expect.equal
                    (UpDownSeries.Btc5m.Current clock).StartUnixSeconds
                    1780963200L
                    "rolls over at the boundary"
            }

            test "slugs of other families, misaligned starts and garbage do not parse" {
                for slug in
                    [
                        "btc-updown-5m-1773307201"
                        "btc-up-or-down-5m"
                        "btc-updown-5m-"
                        "btc-updown-5m-12x"
                        ""
                    ] do
                    Expect.isFalse (fst (UpDownSeries.TryParse slug)) slug

                let ok, eth15 = UpDownSeries.TryParse "eth-updown-15m-1773306900"
                Expect.isTrue ok "eth 15m parses"
                Expect.equal eth15.Series (UpDownSeries("eth", TimeSpan.FromMinutes 15.0)) "series"
                Expect.isFalse (fst (UpDownSeries.Btc5m.TryParseSlug "eth-updown-5m-1773307200")) "other asset"

                Expect.throwsT<ArgumentException>
                    (fun () -> UpDownSeries.Btc5m.WindowStartingAt 1773307201L |> ignore)
                    "misaligned"
            }

            test "JSON-encoded string arrays decode, and malformed ones are format errors" {
                Expect.equal
                    (GammaMarketFields.ParseStringArray """["Up", "Down"]""" |> List.ofSeq)
                    [ "Up"; "Down" ]
                    "strings"

                Expect.equal
                    (GammaMarketFields.ParseStringArray "[1, 2.5]" |> List.ofSeq)
                    [ "1"; "2.5" ]
                    "numbers kept as text"

                Expect.isEmpty (GammaMarketFields.ParseStringArray null) "null"

                Expect.throwsT<FormatException>
                    (fun () -> GammaMarketFields.ParseStringArray "[\"Up\"" |> ignore)
                    "truncated"

                Expect.throwsT<FormatException> (fun () -> GammaMarketFields.ParseStringArray "{}" |> ignore) "object"
            }
        ]
