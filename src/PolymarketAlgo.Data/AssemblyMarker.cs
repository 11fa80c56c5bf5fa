namespace PolymarketAlgo.Data;

/// <summary>Assembly marker.</summary>
public static class AssemblyMarker
{
}
