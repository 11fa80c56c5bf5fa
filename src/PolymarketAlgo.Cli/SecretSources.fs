/// Where the CLI finds the private key and API credentials. Secrets never come from command-line values
/// (they would land in shell history and process listings) and are never printed.
module PolymarketAlgo.Cli.SecretSources

open System
open System.IO
open System.Text.Json
open PolymarketAlgo.Executor.Secrets
open PolymarketAlgo.Executor.Trading
open PolymarketAlgo.Cli.Output

/// The environment variable holding the wallet's private key.
[<Literal>]
let PrivateKeyVariable = "POLYMARKET_PRIVATE_KEY"

/// The `.env` file of the current directory (empty when there is none).
let dotEnv () : Map<string, string> =
    let path = Path.Combine(Environment.CurrentDirectory, ".env")

    if File.Exists path then
        DotEnv.Parse(File.ReadAllText path)
        |> Seq.map (fun (KeyValue(k, v)) -> k, v)
        |> Map.ofSeq
    else
        Map.empty

/// A setting from the environment, then `.env`.
let setting (name: string) : string option =
    match Environment.GetEnvironmentVariable name with
    | null
    | "" -> dotEnv () |> Map.tryFind name
    | value -> Some value

/// The private key from `--private-key-file`, else POLYMARKET_PRIVATE_KEY (environment, then `.env`).
/// A missing or malformed key is a usage error that never repeats the key.
let privateKey (keyFile: string option) : PrivateKey =
    let text =
        match keyFile with
        | Some path when File.Exists path -> File.ReadAllText(path).Trim()
        | Some path -> usage $"--private-key-file '{path}' does not exist"
        | None ->
            match setting PrivateKeyVariable with
            | Some value -> value
            | None ->
                usage $"no private key: set {PrivateKeyVariable} (environment or .env) or pass --private-key-file FILE"

    match PrivateKey.TryParse text with
    | true, key, _ -> key
    | _, _, reason -> usage $"invalid private key ({reason}); expected 32 bytes of hex, with or without 0x"

/// The default file of derived API credentials (mode 0600).
let defaultCredentialsFile () =
    Path.Combine(
        Environment.GetFolderPath Environment.SpecialFolder.UserProfile,
        ".polymarket-algo",
        "credentials.json"
    )

/// Writes API credentials to a file readable by the owner only (written to a temporary file first).
let saveApiCredentials (path: string) (apiKey: string) (secret: string) (passphrase: string) =
    let directory = Path.GetDirectoryName(Path.GetFullPath path)
    Directory.CreateDirectory directory |> ignore
    let temporary = Path.Combine(directory, $".credentials.{Guid.NewGuid():N}.tmp")

    use stream =
        new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None)

    if not (OperatingSystem.IsWindows()) then
        File.SetUnixFileMode(temporary, UnixFileMode.UserRead ||| UnixFileMode.UserWrite)

    do
        use writer = new Utf8JsonWriter(stream, JsonWriterOptions(Indented = true))
        writer.WriteStartObject()
        writer.WriteString("apiKey", apiKey)
        writer.WriteString("secret", secret)
        writer.WriteString("passphrase", passphrase)
        writer.WriteEndObject()

    stream.Dispose()
    File.Move(temporary, path, true)

/// API credentials (key, secret, passphrase) from POLYMARKET_API_KEY/SECRET/PASSPHRASE or the credentials
/// file written by `auth derive`; None when neither exists.
let apiCredentials (credentialsFile: string option) : (string * string * string) option =
    match setting "POLYMARKET_API_KEY", setting "POLYMARKET_API_SECRET", setting "POLYMARKET_API_PASSPHRASE" with
    | Some key, Some secret, Some passphrase -> Some(key, secret, passphrase)
    | _ ->
        let path = defaultArg credentialsFile (defaultCredentialsFile ())

        if not (File.Exists path) then
            None
        else
            try
                use document = JsonDocument.Parse(File.ReadAllText path)
                let root = document.RootElement

                Some(
                    root.GetProperty("apiKey").GetString(),
                    root.GetProperty("secret").GetString(),
                    root.GetProperty("passphrase").GetString()
                )
            with
            | :? JsonException
            | :? Collections.Generic.KeyNotFoundException ->
                usage $"the credentials file '{path}' is not valid; run `polymarket-algo auth derive` again"

/// Full credentials: the private key plus API credentials when they exist.
let credentials (keyFile: string option) (credentialsFile: string option) : Credentials =
    let key = Credentials.FromPrivateKey(privateKey keyFile)

    match apiCredentials credentialsFile with
    | Some(apiKey, secret, passphrase) -> key.WithApiCredentials(apiKey, secret, passphrase)
    | None -> key
