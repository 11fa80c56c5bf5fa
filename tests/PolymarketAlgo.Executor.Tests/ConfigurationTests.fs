module PolymarketAlgo.Executor.Tests.ConfigurationTests

open System
open System.Collections.Generic
open System.IO
open Expecto
open FsCheck
open FsCheck.FSharp
open Microsoft.Extensions.Logging
open PolymarketAlgo.Executor.Configuration
open PolymarketAlgo.Executor.Orders
open PolymarketAlgo.Tests.TestHelpers

/// A well-known test key (eth-account's documentation) and its address.
let private testKey =
    "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"

let private testAddress = "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23"

/// This run's folder under the temp directory, removed when the test process exits.
let private root =
    let path =
        Path.Combine(Path.GetTempPath(), "polymarket-algo-config-tests", Guid.NewGuid().ToString "N")

    AppDomain.CurrentDomain.ProcessExit.Add(fun _ ->
        if Directory.Exists path then
            Directory.Delete(path, true))

    path

let private temporaryFile (name: string) (text: string) =
    let directory = Path.Combine(root, Guid.NewGuid().ToString "N")
    Directory.CreateDirectory directory |> ignore
    let path = Path.Combine(directory, name)
    File.WriteAllText(path, text)
    path

let private dictionary (pairs: (string * string) list) =
    Dictionary<string, string>(dict pairs) :> IReadOnlyDictionary<_, _>

/// Loads from the given file texts, environment and overrides only (never the process environment or the
/// current directory).
let private load
    (settings: string)
    (dotEnv: string)
    (environment: (string * string) list)
    (overrides: (string * string) list)
    =
    AlgoConfiguration.Load(
        ConfigurationSources(
            SettingsFile = temporaryFile "appsettings.json" settings,
            DotEnvFile = temporaryFile ".env" dotEnv,
            Environment = dictionary environment,
            Overrides = dictionary overrides
        )
    )

let private entry (configuration: AlgoConfiguration) (key: string) =
    configuration.Entries |> Seq.find (fun e -> e.Key = key)

let private errors (configuration: AlgoConfiguration) =
    [ for e in configuration.Errors -> string e ]

/// Everything a configuration can print: entries, errors, the options' ToString and the exception message.
let private everythingPrinted (configuration: AlgoConfiguration) =
    let exceptionText =
        try
            configuration.ValidOptions() |> ignore
            ""
        with :? AlgoConfigurationException as e ->
            e.Message

    String.concat
        "\n"
        [
            yield! configuration.Entries |> Seq.map string
            yield! configuration.Errors |> Seq.map string
            string configuration.Options
            exceptionText
        ]

let private hexKey =
    Gen.elements "0123456789abcdef"
    |> Gen.arrayOfLength 64
    |> Gen.map (fun digits -> String digits)
    |> Gen.filter (fun key -> key.Trim('0') <> "" && key[0] < 'f')
    |> Arb.fromGen

[<Tests>]
let tests =
    testSequenced
    <| testList
        "Configuration"
        [
            testCase "defaults to the original toolkit's values"
            <| fun () ->
                let configuration = load "{}" "" [] []
                let options = configuration.ValidOptions()
                Expect.equal options.ClobApi (Uri "https://clob.polymarket.com") "CLOB_API"
                Expect.equal options.GammaApi (Uri "https://gamma-api.polymarket.com") "GAMMA_API"
                Expect.equal options.DataApi (Uri "https://data-api.polymarket.com") "DATA_API"
                Expect.equal options.ChainId 137L "CHAIN_ID"
                Expect.equal options.StreakTrigger 4 "STREAK_TRIGGER"
                Expect.equal options.BetAmount 5m "BET_AMOUNT"
                Expect.equal options.MinBet 1m "MIN_BET"
                Expect.equal options.MaxDailyBets 100 "MAX_DAILY_BETS"
                Expect.equal options.MaxDailyLoss 50m "MAX_DAILY_LOSS"
                Expect.equal options.EntrySecondsBefore 30 "ENTRY_SECONDS_BEFORE"
                Expect.isTrue options.PaperTrade "PAPER_TRADE"
                Expect.equal options.CopyPollInterval (TimeSpan.FromSeconds 5.0) "COPY_POLL_INTERVAL"
                Expect.equal options.FastPollInterval (TimeSpan.FromSeconds 1.5) "FAST_POLL_INTERVAL"
                Expect.isFalse options.RestTimeout.HasValue "REST_TIMEOUT: the clients' default"
                Expect.isFalse options.RestRetries.HasValue "REST_RETRIES: the clients' default"

                Expect.isFalse
                    options.CircuitBreakerRecoveryTime.HasValue
                    "CIRCUIT_BREAKER_RECOVERY_TIME: the clients' default"

                Expect.equal options.LogLevel LogLevel.Information "LOG_LEVEL"

                Expect.equal
                    (options.DelayModelBaseCoef, options.DelayModelMaxImpact, options.DelayModelBaselineSpread)
                    (0.8, 10.0, 0.02)
                    "delay model"

                Expect.isTrue options.SelectiveFilter "SELECTIVE_FILTER: on, as the copy bot runs it"
                Expect.equal options.SelectiveMaxDelayMs 20000 "SELECTIVE_MAX_DELAY_MS"

                Expect.equal
                    [
                        options.SelectiveMinFillPrice
                        options.SelectiveMaxFillPrice
                        options.SelectiveMaxPriceMovementPct
                        options.SelectiveMaxSpread
                        options.SelectiveMaxVolatilityFactor
                        options.SelectiveMinDepthAtBest
                    ]
                    [ 0.55; 0.80; 15.0; 0.025; 1.25; 5.0 ]
                    "selective filter"

                Expect.isNull options.PrivateKey "no key"

                Expect.isTrue
                    (configuration.Entries
                     |> Seq.forall (fun e -> e.Source = ConfigurationSource.Default))
                    "all defaults"

            testCase "lets .env beat appsettings.json, the environment beat .env and --set beat everything"
            <| fun () ->
                let configuration =
                    load
                        """{ "BET_AMOUNT": 6, "MAX_DAILY_BETS": 7, "MaxDailyLoss": 8, "rest_timeout": 9 }"""
                        "BET_AMOUNT=16\nMAX_DAILY_BETS=17\nMAX_DAILY_LOSS=18\n"
                        [ "BET_AMOUNT", "26"; "MAX_DAILY_BETS", "27" ]
                        [ "bet_amount", "36" ]

                let options = configuration.ValidOptions()
                Expect.equal options.BetAmount 36m "--set"
                Expect.equal options.MaxDailyBets 27 "environment"
                Expect.equal options.MaxDailyLoss 18m ".env"
                Expect.equal options.RestTimeout (Nullable(TimeSpan.FromSeconds 9.0)) "appsettings.json"

                Expect.equal
                    [
                        for key in [ "BET_AMOUNT"; "MAX_DAILY_BETS"; "MAX_DAILY_LOSS"; "REST_TIMEOUT"; "MIN_BET" ] ->
                            (entry configuration key).Source
                    ]
                    [
                        ConfigurationSource.Override
                        ConfigurationSource.Environment
                        ConfigurationSource.DotEnv
                        ConfigurationSource.SettingsFile
                        ConfigurationSource.Default
                    ]
                    "sources"

            testCase "reads lists, levels, booleans and addresses in their usual spellings"
            <| fun () ->
                let wallet = "0x00000000000000000000000000000000000000a1"

                let configuration =
                    load
                        $"""{{ "COPY_WALLETS": [ "{wallet}", "{testAddress}" ], "Logging": {{ "LogLevel": {{ "Default": "Debug" }} }} }}"""
                        "LOG_LEVEL=warning\nUSE_WEBSOCKET=no\nSIGNATURE_TYPE=1\nFUNDER_ADDRESS=0x00000000000000000000000000000000000000b2"
                        []
                        []

                let options = configuration.ValidOptions()

                Expect.equal
                    [ for a in options.CopyWallets -> a.Lowercase ]
                    [ wallet; testAddress.ToLowerInvariant() ]
                    "wallets"

                Expect.equal options.LogLevel LogLevel.Warning "WARNING"
                Expect.isFalse options.UseWebsocket "no"
                Expect.equal options.SignatureType SignatureType.PolyProxy "proxy"
                Expect.equal options.FunderAddress.Lowercase "0x00000000000000000000000000000000000000b2" "funder"

                Expect.equal
                    (entry configuration "COPY_WALLETS").Value
                    $"0x00000000000000000000000000000000000000A1,{testAddress}"
                    "shown checksummed"

            testCase "reports every malformed value with its key and source, keeping the default"
            <| fun () ->
                let configuration =
                    load
                        """{ "CLOB_API": "clob.polymarket.com" }"""
                        "WS_CLOB_URL=https://ws-subscriptions-clob.polymarket.com/ws/market\nBET_AMOUNT=-5\nPAPER_TRADE=maybe"
                        [
                            "MAX_DAILY_BETS", "0"
                            "ENTRY_SECONDS_BEFORE", "300"
                            "SELECTIVE_MAX_FILL_PRICE", "1.5"
                            "REST_TIMEOUT", "0"
                        ]
                        [ "SIGNATURE_TYPE", "7"; "FUNDER_ADDRESS", "0x123" ]

                Expect.equal
                    (errors configuration)
                    [
                        "CLOB_API: must be an absolute http or https URL; got 'clob.polymarket.com' (from the settings file)"
                        "WS_CLOB_URL: must be an absolute ws or wss URL; got 'https://ws-subscriptions-clob.polymarket.com/ws/market' (from .env)"
                        "SIGNATURE_TYPE: must be 0 (EOA), 1 (proxy), 2 (Gnosis Safe) or 3 (deposit wallet); got '7' (from the command line)"
                        "FUNDER_ADDRESS: must be an address (0x + 40 hex digits, EIP-55 checksum if mixed-case); got '0x123' (from the command line)"
                        "PAPER_TRADE: must be true or false; got 'maybe' (from .env)"
                        "BET_AMOUNT: must be a positive dollar amount; got '-5' (from .env)"
                        "MAX_DAILY_BETS: must be a whole number of at least 1; got '0' (from the environment)"
                        "ENTRY_SECONDS_BEFORE: must be a whole number from 1 to 299; got '300' (from the environment)"
                        "REST_TIMEOUT: must be a positive number of seconds (at most 86400); got '0' (from the environment)"
                        "SELECTIVE_MAX_FILL_PRICE: must be a number above 0 and at most 1; got '1.5' (from the environment)"
                    ]
                    "errors"

                Expect.equal configuration.Options.BetAmount 5m "the default stays"

                Expect.throwsT<AlgoConfigurationException>
                    (fun () -> configuration.ValidOptions() |> ignore)
                    "ValidOptions throws"

            testCase "checks settings against each other"
            <| fun () ->
                let configuration =
                    load
                        "{}"
                        "MIN_BET=10\nBET_AMOUNT=5\nSELECTIVE_MIN_FILL_PRICE=0.9\nSIGNATURE_TYPE=2\nPAPER_TRADE=false"
                        []
                        []

                Expect.equal
                    (errors configuration)
                    [
                        "MIN_BET: must not exceed BET_AMOUNT (10 > 5)"
                        "SELECTIVE_MIN_FILL_PRICE: must not exceed SELECTIVE_MAX_FILL_PRICE (0.9 > 0.8)"
                        "FUNDER_ADDRESS: is required with SIGNATURE_TYPE 2 (the wallet that holds the funds)"
                        "PRIVATE_KEY: is required when PAPER_TRADE is false (live trading)"
                    ]
                    "errors"

            testCase "rejects unknown keys in the settings file and on the command line, not in .env or the environment"
            <| fun () ->
                let configuration =
                    load """{ "BET_AMUONT": 5 }""" "HOME_DIR=/x" [ "PATH", "/usr/bin" ] [ "NOPE", "1" ]

                Expect.equal
                    (errors configuration)
                    [
                        "BET_AMUONT: unknown setting in the settings file"
                        "NOPE: unknown setting in the command line"
                    ]
                    "errors"

            testCase "reports a settings file that is not JSON and a named file that does not exist"
            <| fun () ->
                let missing =
                    Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString "N", "prod.env")

                let configuration =
                    AlgoConfiguration.Load(
                        ConfigurationSources(
                            SettingsFile = temporaryFile "appsettings.json" "{\n  \"BET_AMOUNT\": ,\n}",
                            DotEnvFile = missing,
                            Environment = dictionary []
                        )
                    )

                Expect.equal
                    (errors configuration)
                    [
                        "appsettings.json: is not valid JSON (line 2)"
                        $"prod.env: file '{missing}' does not exist"
                    ]
                    "errors"

            testCase
                "maps the URLs and the REST overrides onto the REST clients' options, keeping their defaults otherwise"
            <| fun () ->
                let defaults = PolymarketAlgo.Executor.Http.PolymarketApiOptions()
                let untouched = (load "{}" "" [] []).ValidOptions().ToApiOptions()
                Expect.equal untouched.ClobUrl defaults.ClobUrl "CLOB URL"
                Expect.equal untouched.Resilience.Clob.AttemptTimeout defaults.Resilience.Clob.AttemptTimeout "timeout"

                Expect.equal
                    untouched.Resilience.Gamma.MaxRetryAttempts
                    defaults.Resilience.Gamma.MaxRetryAttempts
                    "retries"

                let configured =
                    (load
                        "{}"
                        "CLOB_API=http://127.0.0.1:5000\nGAMMA_API=http://127.0.0.1:5001\nDATA_API=http://127.0.0.1:5002"
                        [
                            "REST_TIMEOUT", "3"
                            "REST_RETRIES", "2"
                            "CIRCUIT_BREAKER_RECOVERY_TIME", "60"
                        ]
                        [])
                        .ValidOptions()
                        .ToApiOptions()

                Expect.equal
                    [ configured.ClobUrl; configured.GammaUrl; configured.DataApiUrl ]
                    [
                        Uri "http://127.0.0.1:5000"
                        Uri "http://127.0.0.1:5001"
                        Uri "http://127.0.0.1:5002"
                    ]
                    "URLs"

                for host in
                    [
                        configured.Resilience.Clob
                        configured.Resilience.Gamma
                        configured.Resilience.DataApi
                    ] do
                    Expect.equal host.AttemptTimeout (TimeSpan.FromSeconds 3.0) "REST_TIMEOUT"
                    Expect.equal host.MaxRetryAttempts 2 "REST_RETRIES"
                    Expect.equal host.CircuitBreakDuration (TimeSpan.FromSeconds 60.0) "CIRCUIT_BREAKER_RECOVERY_TIME"

            testList
                "the private key"
                [
                    testCase "is parsed and shown only as its address"
                    <| fun () ->
                        let configuration = load "{}" $"PRIVATE_KEY={testKey}\nPAPER_TRADE=false" [] []
                        let options = configuration.ValidOptions()
                        Expect.equal options.PrivateKey.Address.Checksummed testAddress "address"
                        let shown = entry configuration "PRIVATE_KEY"
                        Expect.equal shown.Value $"<redacted> (address {testAddress})" "redacted"
                        Expect.isTrue shown.IsSecret "secret"
                        Expect.equal shown.Source ConfigurationSource.DotEnv "source"

                    testCase "is also read from POLYMARKET_PRIVATE_KEY, the order commands' variable"
                    <| fun () ->
                        let configuration = load "{}" "" [ "POLYMARKET_PRIVATE_KEY", testKey ] []
                        Expect.equal configuration.Options.PrivateKey.Address.Checksummed testAddress "address"
                        Expect.equal (entry configuration "PRIVATE_KEY").Source ConfigurationSource.Environment "source"

                    testCase "says what is wrong with a malformed key without repeating it"
                    <| fun () ->
                        let configuration = load "{}" "" [ "PRIVATE_KEY", testKey.Substring(0, 60) ] []

                        Expect.equal
                            (errors configuration)
                            [
                                "PRIVATE_KEY: The private key must be 64 hex digits (32 bytes), with or without a 0x prefix. (from the environment)"
                            ]
                            "errors"

                    testProp "never appears in anything a configuration prints, valid or not"
                    <| Prop.forAll hexKey (fun key ->
                        let valid = load "{}" $"PRIVATE_KEY={key}\nMIN_BET=99" [] []
                        let malformed = load "{}" "" [ "PRIVATE_KEY", key + "zz" ] []
                        let printed = everythingPrinted valid + everythingPrinted malformed

                        not (printed.Contains key)
                        && not (printed.Contains(key.Substring(0, 16)))
                        && valid.Options.PrivateKey <> null)
                ]

            testList
                "the .env parser"
                [
                    testCase "handles comments, export, quotes, escapes and inline comments"
                    <| fun () ->
                        let text =
                            "# comment\n\nexport A=1\nB = two words # note\nC='single # kept'\nD=\"line\\nbreak \\\"q\\\"\"\nE=\nF=x=y\r\nA=3\n"

                        let values, problems = DotEnvFile.Parse text

                        Expect.equal
                            [ for kv in values -> kv.Key, kv.Value ]
                            [
                                "A", "1"
                                "B", "two words"
                                "C", "single # kept"
                                "D", "line\nbreak \"q\""
                                "E", ""
                                "F", "x=y"
                                "A", "3"
                            ]
                            "values"

                        Expect.isEmpty problems "no problems"

                    testCase "reports malformed lines by number without repeating them"
                    <| fun () ->
                        let _, problems = DotEnvFile.Parse "A=1\nsecret-without-equals\nB=\"open\n=value\n"

                        Expect.equal
                            (List.ofSeq problems)
                            [
                                "line 2: expected KEY=VALUE"
                                "line 3: the value of B has no closing quote"
                                "line 4: expected KEY=VALUE"
                            ]
                            "problems"
                ]
        ]
