/// `--param name=value` flags shared by the research commands.
module PolymarketAlgo.Cli.ParameterFlags

open System
open System.Globalization
open PolymarketAlgo.Cli.Output

let private invariant = CultureInfo.InvariantCulture

/// Parses one number, naming the flag in the error.
let parseNumber (what: string) (text: string) =
    match Double.TryParse(text.Trim(), NumberStyles.Float, invariant) with
    | true, value when Double.IsFinite value -> value
    | _ -> usage $"{what}: '{text}' is not a number"

/// Parses `name=value` (or `name=v1,v2,...` when lists are allowed) flags into names and values.
let parseParameters (allowLists: bool) (flags: string list) : (string * float list) list =
    flags
    |> List.map (fun flag ->
        match flag.Split('=', 2) with
        | [| name; values |] when name.Trim() <> "" ->
            let values =
                values.Split(',')
                |> Array.map (parseNumber $"--param {name.Trim()}")
                |> List.ofArray

            if values.Length > 1 && not allowLists then
                usage $"--param {flag}: a list of values needs --sweep"

            name.Trim(), values
        | _ -> usage $"--param '{flag}' must look like name=value")

/// Raises a usage error for a parameter name that `owner` does not have, listing the ones it has.
let checkNames (owner: string) (known: seq<string>) (names: string list) =
    let known = Set.ofSeq known

    for name in names do
        if not (known.Contains name) then
            let choices = String.Join(", ", known)
            usage $"{owner} has no parameter '{name}' (parameters: {choices})"
