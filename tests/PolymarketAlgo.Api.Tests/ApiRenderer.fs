/// Renders the public surface of an assembly as sorted text: one line per type, then one indented line per
/// public or protected member, with C#-like signatures.
module PolymarketAlgo.Api.Tests.ApiRenderer

open System
open System.Globalization
open System.Reflection
open System.Runtime.CompilerServices

let private aliases =
    dict
        [
            typeof<Void>, "void"
            typeof<obj>, "object"
            typeof<string>, "string"
            typeof<bool>, "bool"
            typeof<byte>, "byte"
            typeof<sbyte>, "sbyte"
            typeof<char>, "char"
            typeof<int16>, "short"
            typeof<uint16>, "ushort"
            typeof<int>, "int"
            typeof<uint32>, "uint"
            typeof<int64>, "long"
            typeof<uint64>, "ulong"
            typeof<float32>, "float"
            typeof<float>, "double"
            typeof<decimal>, "decimal"
            typeof<nativeint>, "nint"
        ]

/// A type's name with its namespace, declaring types (`Outer+Inner`) and generic arguments.
let rec typeName (t: Type) : string =
    if aliases.ContainsKey t then
        aliases[t]
    elif t.IsGenericParameter then
        t.Name
    elif t.IsArray then
        typeName (t.GetElementType()) + "[" + String(',', t.GetArrayRank() - 1) + "]"
    elif t.IsByRef then
        typeName (t.GetElementType()) + "&"
    elif t.IsPointer then
        typeName (t.GetElementType()) + "*"
    else
        let definition = if t.IsGenericType then t.GetGenericTypeDefinition() else t
        let plain = definition.Name.Split('`')[0]

        let owner =
            if definition.IsNested then
                typeName definition.DeclaringType + "+"
            elif String.IsNullOrEmpty definition.Namespace then
                ""
            else
                definition.Namespace + "."

        let arguments =
            let own =
                if t.IsGenericType then
                    let all = t.GetGenericArguments()

                    let inherited =
                        if t.IsNested then
                            t.DeclaringType.GetGenericArguments().Length
                        else
                            0

                    all[inherited..]
                else
                    [||]

            if own.Length = 0 then
                ""
            else
                "<" + String.Join(", ", own |> Array.map typeName) + ">"

        owner + plain + arguments

let private literal (value: obj) =
    match value with
    | null -> "null"
    | :? string as s -> "\"" + s + "\""
    | :? bool as b -> if b then "true" else "false"
    | :? char as c -> $"'{c}'"
    | :? IFormattable as f -> f.ToString(null, CultureInfo.InvariantCulture)
    | other -> string other

let private parameter (p: ParameterInfo) =
    let modifier =
        if p.ParameterType.IsByRef then
            if p.IsOut then "out "
            elif p.IsIn then "in "
            else "ref "
        elif p.IsDefined(typeof<ParamArrayAttribute>, false) then
            "params "
        else
            ""

    let parameterType =
        if p.ParameterType.IsByRef then
            typeName (p.ParameterType.GetElementType())
        else
            typeName p.ParameterType

    let fallback =
        if p.HasDefaultValue && isNull p.RawDefaultValue && p.ParameterType.IsValueType then
            " = default"
        elif p.HasDefaultValue then
            $" = {literal p.RawDefaultValue}"
        elif p.IsOptional then
            " = [optional]"
        else
            ""

    $"{modifier}{parameterType} {p.Name}{fallback}"

let private parameters (method: MethodBase) =
    String.Join(", ", method.GetParameters() |> Array.map parameter)

let private isVisible (method: MethodBase) =
    not (isNull method)
    && (method.IsPublic || method.IsFamily || method.IsFamilyOrAssembly)

let private access (method: MethodBase) =
    if method.IsPublic then "" else "protected "

let private methodModifiers (method: MethodBase) =
    String.concat
        ""
        [
            access method
            (if method.IsStatic then "static " else "")
            (if method.IsAbstract then "abstract "
             elif method.IsVirtual && not method.IsFinal then "virtual "
             else "")
        ]

let private genericArguments (method: MethodInfo) =
    if method.IsGenericMethodDefinition then
        "<"
        + String.Join(", ", method.GetGenericArguments() |> Array.map typeName)
        + ">"
    else
        ""

let private isAccessor (method: MethodInfo) =
    method.IsSpecialName
    && [ "get_"; "set_"; "add_"; "remove_" ]
       |> List.exists (fun prefix -> method.Name.StartsWith(prefix, StringComparison.Ordinal))

let private isInitOnly (setter: MethodInfo) =
    setter.ReturnParameter.GetRequiredCustomModifiers()
    |> Array.contains typeof<IsExternalInit>

let private memberLine (m: MemberInfo) : (string * string) option =
    let line =
        match m with
        | :? ConstructorInfo as c when isVisible c ->
            let scope = if c.IsStatic then "static " else ""
            Some $"{access c}{scope}.ctor({parameters c})"
        | :? MethodInfo as method when isVisible method && not (isAccessor method) ->
            Some
                $"{methodModifiers method}{typeName method.ReturnType} {method.Name}{genericArguments method}({parameters method})"
        | :? PropertyInfo as p ->
            let getter = p.GetMethod
            let setter = p.SetMethod

            match [ getter; setter ] |> List.filter isVisible with
            | [] -> None
            | visible ->
                let accessors =
                    [
                        if isVisible getter then
                            "get;"
                        if isVisible setter && isInitOnly setter then
                            "init;"
                        elif isVisible setter then
                            "set;"
                    ]

                let indexer =
                    match p.GetIndexParameters() with
                    | [||] -> ""
                    | index -> "[" + String.Join(", ", index |> Array.map parameter) + "]"

                Some
                    $"{methodModifiers visible.Head}{typeName p.PropertyType} {p.Name}{indexer} {{ {String.Join(' ', accessors)} }}"
        | :? FieldInfo as f when f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly ->
            let access = if f.IsPublic then "" else "protected "

            let kind =
                if f.IsLiteral then "const "
                elif f.IsStatic && f.IsInitOnly then "static readonly "
                elif f.IsStatic then "static "
                elif f.IsInitOnly then "readonly "
                else ""

            let value =
                if f.IsLiteral then
                    $" = {literal (f.GetRawConstantValue())}"
                else
                    ""

            Some $"{access}{kind}{typeName f.FieldType} {f.Name}{value}"
        | :? EventInfo as e when isVisible e.AddMethod ->
            Some $"{methodModifiers e.AddMethod}event {typeName e.EventHandlerType} {e.Name}"
        | _ -> None

    line |> Option.map (fun text -> m.Name, text)

let private typeHeader (t: Type) =
    let bases =
        [
            if not (isNull t.BaseType) && not t.IsValueType && t.BaseType <> typeof<obj> then
                typeName t.BaseType
            yield! t.GetInterfaces() |> Array.map typeName |> Array.sort
        ]

    let inheritance =
        if bases.IsEmpty then
            ""
        else
            " : " + String.Join(", ", bases)

    if t.IsEnum then
        $"enum {typeName t} : {typeName (Enum.GetUnderlyingType t)}"
    elif
        typeof<Delegate>.IsAssignableFrom t
        && t <> typeof<Delegate>
        && t <> typeof<MulticastDelegate>
    then
        let invoke = t.GetMethod "Invoke"
        $"delegate {typeName invoke.ReturnType} {typeName t}({parameters invoke})"
    elif t.IsInterface then
        $"interface {typeName t}{inheritance}"
    elif t.IsValueType then
        $"struct {typeName t}{inheritance}"
    else
        let modifiers =
            if t.IsAbstract && t.IsSealed then "static "
            elif t.IsAbstract then "abstract "
            elif t.IsSealed then "sealed "
            else ""

        $"{modifiers}class {typeName t}{inheritance}"

let private typeLines (t: Type) =
    let flags =
        BindingFlags.Public
        ||| BindingFlags.NonPublic
        ||| BindingFlags.Instance
        ||| BindingFlags.Static
        ||| BindingFlags.DeclaredOnly

    let members =
        if t.IsEnum then
            t.GetFields(BindingFlags.Public ||| BindingFlags.Static)
            |> Array.map (fun f ->
                f.Name, $"{f.Name} = {literal (Convert.ChangeType(f.GetRawConstantValue(), Enum.GetUnderlyingType t))}")
        elif typeof<Delegate>.IsAssignableFrom t then
            [||]
        else
            t.GetMembers flags |> Array.choose memberLine

    let ordered =
        members
        |> Array.sortWith (fun (nameA, lineA) (nameB, lineB) ->
            match String.CompareOrdinal(nameA, nameB) with
            | 0 -> String.CompareOrdinal(lineA, lineB)
            | order -> order)

    typeHeader t :: [ for _, line in ordered -> "    " + line ]

/// The public surface of an assembly: every exported type (sorted by name) with its visible members (sorted).
let render (assembly: Assembly) : string =
    let types =
        assembly.GetExportedTypes()
        |> Array.sortWith (fun a b -> String.CompareOrdinal(typeName a, typeName b))

    String.Join("\n", types |> Seq.collect typeLines) + "\n"
