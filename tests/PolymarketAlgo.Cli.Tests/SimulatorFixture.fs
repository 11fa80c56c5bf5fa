/// The local simulator the CLI tests run the binary against, on the real recorded Polymarket data.
module PolymarketAlgo.Cli.Tests.SimulatorFixture

open PolymarketAlgo.Simulator
open PolymarketAlgo.Simulator.Data
open PolymarketAlgo.Tests.TestHelpers

/// Hardhat's first development key (a public test key; address 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266).
let testKey = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"

/// The recorded Polymarket data, loaded once (the Parquet files take a moment to decode).
let recorded =
    lazy (RecordedData.LoadAsync(sharedPath "data/polymarket").GetAwaiter().GetResult())

/// Runs `body host baseUrl` against a simulator started with `options` on 127.0.0.1, and stops it afterwards.
let withSimulator (options: SimulatorOptions) (body: SimulatorHost -> string -> 'T) : 'T =
    let host = new SimulatorHost(options)
    let baseUrl = (host.StartAsync().GetAwaiter().GetResult()).ToString().TrimEnd('/')

    try
        body host baseUrl
    finally
        host.StopAsync().GetAwaiter().GetResult()
