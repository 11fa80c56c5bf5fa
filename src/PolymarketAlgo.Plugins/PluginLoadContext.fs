namespace PolymarketAlgo.Plugins

open System
open System.Reflection
open System.Runtime.Loader
open PolymarketAlgo.Core

/// The assemblies every plugin shares with the host, so that `IStrategy` in a plugin is the host's `IStrategy`:
/// PolymarketAlgo.Core and the assemblies it references (FSharp.Core, Deedle, the framework).
module internal SharedAssemblies =

    let private names =
        let core = typeof<IStrategy>.Assembly

        core.GetReferencedAssemblies()
        |> Array.map (fun name -> name.Name)
        |> Array.append [| core.GetName().Name; typeof<list<int>>.Assembly.GetName().Name |]
        |> Set.ofArray

    /// Whether an assembly with this simple name must come from the host.
    let isShared (name: string) = names.Contains name

/// One plugin's load context: its own assemblies (and the private dependencies beside a plugin assembly)
/// load here, while the shared assemblies resolve to the host's copies in the default context.
/// Contexts are not collectible: plugins live as long as the process.
type internal PluginLoadContext(name: string, mainAssemblyPath: string option) =
    inherit AssemblyLoadContext(name, isCollectible = false)

    let resolver =
        mainAssemblyPath |> Option.map (fun path -> AssemblyDependencyResolver path)

    override this.Load(assemblyName: AssemblyName) =
        if SharedAssemblies.isShared assemblyName.Name then
            null
        else
            match resolver |> Option.map (fun r -> r.ResolveAssemblyToPath assemblyName) with
            | Some path when not (isNull path) -> this.LoadFromAssemblyPath path
            | _ -> null

    override this.LoadUnmanagedDll(unmanagedDllName: string) =
        match resolver |> Option.map (fun r -> r.ResolveUnmanagedDllToPath unmanagedDllName) with
        | Some path when not (isNull path) -> this.LoadUnmanagedDllFromPath path
        | _ -> IntPtr.Zero
