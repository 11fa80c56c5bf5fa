namespace PolymarketAlgo.Plugins

open System
open System.Collections.Generic
open System.IO
open System.Reflection
open System.Reflection.Metadata
open System.Reflection.PortableExecutable
open System.Runtime.InteropServices
open PolymarketAlgo.Core

/// What one plugin file contributed.
type private FileContribution =
    {
        Strategies: (IStrategy * string) list
        Indicators: (IIndicator * string) list
        Problems: PluginProblem list
    }

/// Loading of plugin files: assemblies and scripts into their own contexts, then discovery of plugin types.
module private PluginLoader =

    let private oneLine (text: string) =
        text.Replace("\r", " ").Replace("\n", " ").Trim()

    let private problem kind file typeName message =
        {
            Kind = kind
            File = file
            TypeName = typeName
            Message = oneLine message
        }

    let private fileProblem kind file message =
        {
            Strategies = []
            Indicators = []
            Problems = [ problem kind file "" message ]
        }

    /// Why an exception happened, unwrapping reflection wrappers.
    let rec private reason (e: exn) =
        match e with
        | :? TargetInvocationException as e when not (isNull e.InnerException) -> reason e.InnerException
        | :? ReflectionTypeLoadException as e ->
            match e.LoaderExceptions |> Array.tryFind (isNull >> not) with
            | Some inner -> reason inner
            | None -> e.Message
        | e -> $"{e.GetType().Name}: {e.Message}"

    /// Whether a type is a concrete public class implementing one of the plugin interfaces.
    let private isCandidate (t: Type) =
        t.IsClass
        && not t.IsAbstract
        && t.IsVisible
        && not t.ContainsGenericParameters
        && (typeof<IStrategy>.IsAssignableFrom t || typeof<IIndicator>.IsAssignableFrom t)

    /// Instantiates every plugin type of an assembly; types are visited by full name.
    let discover (file: string) (assembly: Assembly) : FileContribution =
        try
            let candidates =
                assembly.GetTypes()
                |> Array.filter isCandidate
                |> Array.sortBy (fun t -> t.FullName)

            if candidates.Length = 0 then
                fileProblem
                    PluginProblemKind.NothingFound
                    file
                    "defines no public class implementing IStrategy or IIndicator"
            else
                let results =
                    candidates
                    |> Array.map (fun t ->
                        if isNull (t.GetConstructor Type.EmptyTypes) then
                            Error(
                                problem
                                    PluginProblemKind.NoParameterlessConstructor
                                    file
                                    t.FullName
                                    "has no public parameterless constructor"
                            )
                        else
                            try
                                let instance = Activator.CreateInstance t

                                match instance with
                                | :? IStrategy as s when String.IsNullOrWhiteSpace s.Name ->
                                    Error(
                                        problem
                                            PluginProblemKind.CreateFailed
                                            file
                                            t.FullName
                                            "strategy has an empty Name"
                                    )
                                | :? IIndicator as i when String.IsNullOrWhiteSpace i.Name ->
                                    Error(
                                        problem
                                            PluginProblemKind.CreateFailed
                                            file
                                            t.FullName
                                            "indicator has an empty Name"
                                    )
                                | _ -> Ok(t.FullName, instance)
                            with e ->
                                Error(problem PluginProblemKind.CreateFailed file t.FullName (reason e)))

                {
                    Strategies =
                        [
                            for result in results do
                                match result with
                                | Ok(name, (:? IStrategy as s)) -> s, name
                                | _ -> ()
                        ]
                    Indicators =
                        [
                            for result in results do
                                match result with
                                | Ok(name, (:? IIndicator as i)) -> i, name
                                | _ -> ()
                        ]
                    Problems =
                        [
                            for result in results do
                                match result with
                                | Error p -> p
                                | Ok _ -> ()
                        ]
                }
        with e ->
            fileProblem PluginProblemKind.LoadFailed file (reason e)

    /// What a file's metadata says: not managed code (skipped quietly), a dependency that does not reference
    /// Core (skipped quietly), a host assembly (skipped quietly) or a plugin candidate.
    type private AssemblyKind =
        | Unmanaged
        | Dependency
        | Host
        | Candidate

    let private classify (file: string) =
        use stream = File.OpenRead file
        use pe = new PEReader(stream)

        if not pe.HasMetadata then
            Unmanaged
        else
            let metadata = pe.GetMetadataReader()

            let name =
                if metadata.IsAssembly then
                    metadata.GetString(metadata.GetAssemblyDefinition().Name)
                else
                    ""

            let coreName = typeof<IStrategy>.Assembly.GetName().Name

            let referencesCore =
                metadata.AssemblyReferences
                |> Seq.exists (fun handle -> metadata.GetString(metadata.GetAssemblyReference(handle).Name) = coreName)

            if not metadata.IsAssembly then Unmanaged
            elif SharedAssemblies.isShared name then Host
            elif referencesCore then Candidate
            else Dependency

    /// Loads a plugin assembly into its own context and discovers its plugin types.
    let loadAssembly (file: string) : FileContribution =
        let classified =
            try
                Ok(classify file)
            with e ->
                Error(reason e)

        match classified with
        | Error message -> fileProblem PluginProblemKind.LoadFailed file $"not a valid .NET assembly ({message})"
        | Ok Unmanaged
        | Ok Dependency
        | Ok Host ->
            {
                Strategies = []
                Indicators = []
                Problems = []
            }
        | Ok Candidate ->
            try
                let context = PluginLoadContext("plugin:" + Path.GetFileName file, Some file)
                discover file (context.LoadFromAssemblyPath file)
            with e ->
                fileProblem PluginProblemKind.LoadFailed file (reason e)

    /// Compiles a script, loads it into its own context and discovers its plugin types.
    let loadScript (file: string) : FileContribution =
        match ScriptCompiler.compile file with
        | Error message -> fileProblem PluginProblemKind.CompileFailed file message
        | Ok compiled ->
            try
                let context = PluginLoadContext("script:" + Path.GetFileName file, None)
                use image = new MemoryStream(compiled.Assembly)

                let assembly =
                    if compiled.Symbols.Length = 0 then
                        context.LoadFromStream image
                    else
                        use symbols = new MemoryStream(compiled.Symbols)
                        context.LoadFromStream(image, symbols)

                discover file assembly
            with e ->
                fileProblem PluginProblemKind.LoadFailed file (reason e)

/// The strategies and indicators available to a run: the built-ins, then the plugins of one folder. Each plugin
/// assembly (`*.dll`) loads into its own AssemblyLoadContext that shares PolymarketAlgo.Core and FSharp.Core with
/// the host (so a plugin's `IStrategy` is the host's); each F# script (`*.fsx`) is compiled in-process with
/// FSharp.Compiler.Service and loaded the same way. Public non-abstract classes implementing `IStrategy` or
/// `IIndicator` with a public parameterless constructor are instantiated once. A file or type that fails is
/// recorded in `Problems` and skipped; a name that is already taken (by a built-in or an earlier file, compared
/// ignoring case) is never replaced and is recorded as a `NameClash`. Files load in ordinal order of file name.
[<Sealed>]
type PluginRegistry
    private
    (directory: string, strategies: RegisteredStrategy[], indicators: RegisteredIndicator[], problems: PluginProblem[])
    =

    static let builtInStrategies =
        Strategy.builtIn
        |> List.map (fun s ->
            {
                Strategy = s
                Origin = PluginOrigin.BuiltIn
                Source = "built-in"
                TypeName = s.GetType().FullName
            })

    static let builtInIndicators =
        Indicator.all
        |> List.map (fun i ->
            {
                Indicator = i
                Origin = PluginOrigin.BuiltIn
                Source = "built-in"
                TypeName = i.GetType().FullName
            })

    static let builtIn =
        PluginRegistry("", Array.ofList builtInStrategies, Array.ofList builtInIndicators, [||])

    /// The default plugin folder: `~/.polymarket-algo/plugins`.
    static member DefaultDirectory: string =
        Path.Combine(Environment.GetFolderPath Environment.SpecialFolder.UserProfile, ".polymarket-algo", "plugins")

    /// The built-in strategies and indicators only.
    static member BuiltIn: PluginRegistry = builtIn

    /// The built-ins plus every plugin in `directory`. A missing folder gives the built-ins only.
    static member Load(directory: string) : PluginRegistry =
        if String.IsNullOrWhiteSpace directory then
            invalidArg (nameof directory) "the plugin folder is empty"

        let directory = Path.GetFullPath directory

        if not (Directory.Exists directory) then
            PluginRegistry(directory, Array.ofList builtInStrategies, Array.ofList builtInIndicators, [||])
        else
            let files =
                Directory.GetFiles directory
                |> Array.filter (fun file ->
                    let extension = Path.GetExtension file

                    extension.Equals(".dll", StringComparison.OrdinalIgnoreCase)
                    || extension.Equals(".fsx", StringComparison.OrdinalIgnoreCase))
                |> Array.sortWith (fun a b -> String.CompareOrdinal(Path.GetFileName a, Path.GetFileName b))

            let strategies = List<RegisteredStrategy>(builtInStrategies)
            let indicators = List<RegisteredIndicator>(builtInIndicators)
            let problems = List<PluginProblem>()

            let clash (file: string) (typeName: string) (kind: string) (name: string) (owner: string) =
                problems.Add
                    {
                        Kind = PluginProblemKind.NameClash
                        File = file
                        TypeName = typeName
                        Message = $"{kind} name '{name}' is already taken by {owner}; skipped"
                    }

            let ownerOf (source: string) =
                if source = "built-in" then
                    "a built-in"
                else
                    Path.GetFileName source

            for file in files do
                let isScript =
                    Path.GetExtension(file).Equals(".fsx", StringComparison.OrdinalIgnoreCase)

                let contribution =
                    if isScript then
                        PluginLoader.loadScript file
                    else
                        PluginLoader.loadAssembly file

                let origin =
                    if isScript then
                        PluginOrigin.Script
                    else
                        PluginOrigin.Assembly

                problems.AddRange contribution.Problems

                for strategy, typeName in contribution.Strategies do
                    match
                        strategies
                        |> Seq.tryFind (fun r ->
                            r.Strategy.Name.Equals(strategy.Name, StringComparison.OrdinalIgnoreCase))
                    with
                    | Some existing -> clash file typeName "strategy" strategy.Name (ownerOf existing.Source)
                    | None ->
                        strategies.Add
                            {
                                Strategy = strategy
                                Origin = origin
                                Source = file
                                TypeName = typeName
                            }

                for indicator, typeName in contribution.Indicators do
                    match
                        indicators
                        |> Seq.tryFind (fun r ->
                            r.Indicator.Name.Equals(indicator.Name, StringComparison.OrdinalIgnoreCase))
                    with
                    | Some existing -> clash file typeName "indicator" indicator.Name (ownerOf existing.Source)
                    | None ->
                        indicators.Add
                            {
                                Indicator = indicator
                                Origin = origin
                                Source = file
                                TypeName = typeName
                            }

            PluginRegistry(directory, strategies.ToArray(), indicators.ToArray(), problems.ToArray())

    /// The plugin folder that was loaded (full path), or "" for the built-ins only.
    member _.Directory: string = directory

    /// Every strategy: the built-ins first, then the plugins in load order.
    member _.Strategies: IReadOnlyList<RegisteredStrategy> = strategies

    /// Every indicator: the built-ins first, then the plugins in load order.
    member _.Indicators: IReadOnlyList<RegisteredIndicator> = indicators

    /// The plugin files and types that were skipped, with why.
    member _.Problems: IReadOnlyList<PluginProblem> = problems

    /// Finds the strategy with this name (ignoring case); false when there is none.
    member _.TryFindStrategy(name: string, [<Out>] strategy: byref<IStrategy>) : bool =
        match
            strategies
            |> Array.tryFind (fun r -> r.Strategy.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
        with
        | Some r ->
            strategy <- r.Strategy
            true
        | None -> false

    /// Finds the indicator with this name (ignoring case); false when there is none.
    member _.TryFindIndicator(name: string, [<Out>] indicator: byref<IIndicator>) : bool =
        match
            indicators
            |> Array.tryFind (fun r -> r.Indicator.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
        with
        | Some r ->
            indicator <- r.Indicator
            true
        | None -> false
