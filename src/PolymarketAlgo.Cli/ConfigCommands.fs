/// `config check`: the effective configuration (appsettings.json, .env, environment, --set), secrets redacted.
module PolymarketAlgo.Cli.ConfigCommands

open System
open System.Collections.Generic
open System.Globalization
open Argu
open PolymarketAlgo.Executor.Configuration
open PolymarketAlgo.Cli.Arguments
open PolymarketAlgo.Cli.Output

/// Loads the configuration from `--settings`/`--env-file` (default ./appsettings.json and ./.env when present),
/// the environment and `KEY=VALUE` overrides (which win).
let load (settingsFile: string option) (envFile: string option) (overrides: string list) : AlgoConfiguration =
    let values = Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)

    for item in overrides do
        match item.Split('=', 2) with
        | [| key; value |] when key.Trim() <> "" -> values[key.Trim()] <- value
        | _ -> usage $"--set '{item}' must look like KEY=VALUE"

    AlgoConfiguration.Load(
        ConfigurationSources(
            SettingsFile = Option.toObj settingsFile,
            DotEnvFile = Option.toObj envFile,
            Overrides = values
        )
    )

/// The validated options, or a usage error naming every problem; commands that need settings call this at start.
let validOptions (configuration: AlgoConfiguration) : AlgoOptions =
    if not configuration.IsValid then
        let problems = configuration.Errors |> Seq.map string |> String.concat "; "
        usage $"invalid configuration: {problems} (see `polymarket-algo config check`)"

    configuration.Options

let private sourceName (source: ConfigurationSource) =
    match source with
    | ConfigurationSource.SettingsFile -> "appsettings.json"
    | ConfigurationSource.DotEnv -> ".env"
    | ConfigurationSource.Environment -> "environment"
    | ConfigurationSource.Override -> "--set"
    | _ -> "default"

/// A setting's value as JSON: numbers and booleans as such, secrets and the rest as text (empty: null).
let private valueJson (entry: ConfigurationEntry) =
    match entry.Value with
    | "" -> Null
    | "true" -> Bool true
    | "false" -> Bool false
    | text when not entry.IsSecret ->
        match Double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture) with
        | true, number -> Number number
        | _ -> Text text
    | text -> Text text

/// `config check`: prints every setting with its effective value and source; exits 2 when any is invalid.
let check (args: ParseResults<ConfigCheckArgs>) =
    let configuration =
        load
            (args.TryGetResult ConfigCheckArgs.Settings)
            (args.TryGetResult ConfigCheckArgs.Env_File)
            (args.GetResults ConfigCheckArgs.Set)

    if args.Contains ConfigCheckArgs.Json then
        printJson (
            Object
                [
                    "valid", Bool configuration.IsValid
                    "settings",
                    Array
                        [
                            for entry in configuration.Entries ->
                                Object
                                    [
                                        "key", Text entry.Key
                                        "value", valueJson entry
                                        "source", Text(sourceName entry.Source)
                                        "secret", Bool entry.IsSecret
                                    ]
                        ]
                    "errors",
                    Array
                        [
                            for error in configuration.Errors ->
                                Object [ "key", Text error.Key; "message", Text error.Message ]
                        ]
                ]
        )
    else
        printTable
            [ "setting"; "value"; "source" ]
            [
                for entry in configuration.Entries -> [ entry.Key; entry.Value; sourceName entry.Source ]
            ]

        if configuration.IsValid then
            printfn "configuration is valid"

    if not configuration.IsValid then
        for error in configuration.Errors do
            eprintfn "invalid: %O" error

        usage $"the configuration has {configuration.Errors.Count} error(s)"
