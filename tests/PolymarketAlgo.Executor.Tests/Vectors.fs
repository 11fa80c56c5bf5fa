/// Shared inputs of the official Polymarket signing vectors (polymarket-protocol.md §6).
module PolymarketAlgo.Executor.Tests.Vectors

open PolymarketAlgo.Executor.Crypto
open PolymarketAlgo.Executor.Secrets

/// Hardhat/Anvil account #0, the key every official vector uses (publicly known).
let anvilKeyHex =
    "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"

/// The key of `anvilKeyHex`.
let anvilKey = PrivateKey.Parse anvilKeyHex

/// The address of `anvilKey`.
let anvilAddress = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"

/// Lower-case hex of bytes with a 0x prefix.
let hex (bytes: byte[]) = Hex.Encode(System.ReadOnlySpan bytes)

/// The 32 zero bytes secret of the L2 HMAC vectors.
let zeroSecret = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
