namespace PolymarketAlgo.Plugins

open System
open System.IO
open System.Runtime.InteropServices
open FSharp.Compiler.CodeAnalysis
open FSharp.Compiler.Diagnostics
open PolymarketAlgo.Core

/// A compiled script: the assembly image and its portable PDB.
type internal CompiledScript = { Assembly: byte[]; Symbols: byte[] }

/// Compiles F# plugin scripts in-process with FSharp.Compiler.Service into a library assembly that references
/// the host's framework, FSharp.Core and PolymarketAlgo.Core (and Core's own references), so a script needs no
/// `#r` lines for them.
module internal ScriptCompiler =

    let private checker = lazy (FSharpChecker.Create())

    /// The framework assemblies of the running runtime plus Core, FSharp.Core and Core's other references.
    let private references =
        lazy
            (let runtimeDirectory = RuntimeEnvironment.GetRuntimeDirectory()

             let trusted =
                 match AppContext.GetData "TRUSTED_PLATFORM_ASSEMBLIES" with
                 | :? string as paths -> paths.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                 | _ -> [||]

             let framework =
                 trusted
                 |> Array.filter (fun path ->
                     path.StartsWith(runtimeDirectory, StringComparison.Ordinal)
                     && path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))

             let core = typeof<IStrategy>.Assembly

             let hostShared =
                 core.GetReferencedAssemblies()
                 |> Array.choose (fun name ->
                     trusted
                     |> Array.tryFind (fun path ->
                         String.Equals(
                             Path.GetFileNameWithoutExtension path,
                             name.Name,
                             StringComparison.OrdinalIgnoreCase
                         )))

             Array.concat
                 [
                     framework
                     hostShared
                     [| core.Location; typeof<list<int>>.Assembly.Location |]
                 ]
             |> Array.distinctBy (fun path -> Path.GetFileName(path).ToLowerInvariant()))

    let private oneLine (text: string) =
        text.Replace("\r", " ").Replace("\n", " ").Trim()

    let private describe (diagnostic: FSharpDiagnostic) =
        let file = Path.GetFileName diagnostic.FileName
        $"{file}({diagnostic.StartLine},{diagnostic.StartColumn + 1}): error FS%04d{diagnostic.ErrorNumber}: {oneLine diagnostic.Message}"

    /// Compiles one script; the error is the first compiler error on one line.
    let compile (scriptPath: string) : Result<CompiledScript, string> =
        let directory =
            Path.Combine(Path.GetTempPath(), "polymarket-algo-scripts", Guid.NewGuid().ToString "N")

        Directory.CreateDirectory directory |> ignore

        try
            let name = Path.GetFileNameWithoutExtension scriptPath
            let output = Path.Combine(directory, name + ".dll")
            let symbols = Path.Combine(directory, name + ".pdb")

            let arguments =
                [|
                    yield "fsc.exe"
                    yield "--out:" + output
                    yield "--pdb:" + symbols
                    yield "--target:library"
                    yield "--debug:portable"
                    yield "--optimize+"
                    yield "--deterministic+"
                    yield "--noframework"
                    yield "--targetprofile:netcore"
                    yield "--nologo"
                    for reference in references.Value do
                        yield "-r:" + reference
                    yield scriptPath
                |]

            let diagnostics, failure = checker.Value.Compile arguments |> Async.RunSynchronously

            let errors =
                diagnostics
                |> Array.filter (fun d -> d.Severity = FSharpDiagnosticSeverity.Error)

            match errors, failure with
            | [||], None when File.Exists output ->
                Ok
                    {
                        Assembly = File.ReadAllBytes output
                        Symbols =
                            (if File.Exists symbols then
                                 File.ReadAllBytes symbols
                             else
                                 [||])
                    }
            | [||], Some e -> Error(oneLine e.Message)
            | [||], None -> Error "the compiler produced no assembly"
            | errors, _ -> Error(describe errors[0])
        finally
            try
                Directory.Delete(directory, true)
            with :? IOException ->
                ()
