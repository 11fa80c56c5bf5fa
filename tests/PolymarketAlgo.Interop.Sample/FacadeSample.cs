namespace PolymarketAlgo.Interop.Sample;

/// <summary>A C# consumer of the Core facade.</summary>
public static class FacadeSample
{
    /// <summary>Placeholder until the facade exists.</summary>
    public static int Pending() => 0;
}
