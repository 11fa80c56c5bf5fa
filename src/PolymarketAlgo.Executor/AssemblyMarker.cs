namespace PolymarketAlgo.Executor;

/// <summary>Assembly marker.</summary>
public static class AssemblyMarker
{
}
