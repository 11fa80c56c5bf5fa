/// The strategies the CLI knows: the built-ins plus the plugins of `--plugins DIR` (default
/// ~/.polymarket-algo/plugins), loaded on first use.
module PolymarketAlgo.Cli.PluginCatalog

open System.IO
open PolymarketAlgo.Plugins
open PolymarketAlgo.Cli.Output

let mutable private folder: string option = None

/// Sets the plugin folder given by `--plugins` (None: the default folder, which may be missing).
let configure (directory: string option) = folder <- directory

let private registry' =
    lazy
        (let registry =
            match folder with
            | Some directory when not (Directory.Exists directory) ->
                usage $"--plugins: folder '{directory}' does not exist"
            | Some directory -> PluginRegistry.Load directory
            | None -> PluginRegistry.Load PluginRegistry.DefaultDirectory

         for problem in registry.Problems do
             eprintfn "warning: plugin skipped: %O" problem

         registry)

/// The registry, loaded on first use; skipped plugins are reported on stderr once.
let registry () : PluginRegistry = registry'.Value
