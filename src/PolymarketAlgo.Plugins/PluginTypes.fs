namespace PolymarketAlgo.Plugins

open PolymarketAlgo.Core

/// Where a registered strategy or indicator comes from.
type PluginOrigin =
    /// Shipped with PolymarketAlgo.Core.
    | BuiltIn = 0
    /// A class in a plugin assembly (a .dll in the plugin folder).
    | Assembly = 1
    /// A class in an F# script (a .fsx in the plugin folder) compiled when the folder is loaded.
    | Script = 2

/// A strategy in the registry and where it came from.
type RegisteredStrategy =
    {
        /// The strategy instance (one per registry).
        Strategy: IStrategy
        /// Built-in, assembly or script.
        Origin: PluginOrigin
        /// "built-in", or the full path of the plugin file that defines it.
        Source: string
        /// The full name of the implementing type.
        TypeName: string
    }

/// An indicator in the registry and where it came from.
type RegisteredIndicator =
    {
        /// The indicator instance (one per registry).
        Indicator: IIndicator
        /// Built-in, assembly or script.
        Origin: PluginOrigin
        /// "built-in", or the full path of the plugin file that defines it.
        Source: string
        /// The full name of the implementing type.
        TypeName: string
    }

/// Why a plugin file or type was skipped.
type PluginProblemKind =
    /// The file is not a loadable .NET assembly, or its types could not be loaded.
    | LoadFailed = 0
    /// The F# script did not compile.
    | CompileFailed = 1
    /// A public IStrategy/IIndicator class has no public parameterless constructor.
    | NoParameterlessConstructor = 2
    /// The constructor (or the Name property) threw.
    | CreateFailed = 3
    /// The name is already taken by a built-in or an earlier plugin; plugins never replace an entry.
    | NameClash = 4
    /// The file references PolymarketAlgo.Core but defines no public IStrategy or IIndicator class.
    | NothingFound = 5

/// A plugin file or type that was skipped, with a one-line reason. The rest of the folder still loads.
type PluginProblem =
    {
        /// What went wrong.
        Kind: PluginProblemKind
        /// The full path of the plugin file.
        File: string
        /// The full name of the type concerned, or "" when the problem is about the whole file.
        TypeName: string
        /// One line saying why.
        Message: string
    }

    /// "file.dll: message" or "file.dll (Type): message".
    override this.ToString() =
        let file = System.IO.Path.GetFileName this.File

        if this.TypeName = "" then
            $"{file}: {this.Message}"
        else
            $"{file} ({this.TypeName}): {this.Message}"
