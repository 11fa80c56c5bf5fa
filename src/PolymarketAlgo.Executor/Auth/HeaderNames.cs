namespace PolymarketAlgo.Executor.Auth;

/// <summary>The names of the Polymarket CLOB authentication headers.</summary>
public static class HeaderNames
{
    /// <summary>The signer (EOA) address.</summary>
    public const string Address = "POLY_ADDRESS";

    /// <summary>The L1 ClobAuth signature or the L2 HMAC.</summary>
    public const string Signature = "POLY_SIGNATURE";

    /// <summary>Unix seconds, as a decimal string.</summary>
    public const string Timestamp = "POLY_TIMESTAMP";

    /// <summary>The L1 nonce, as a decimal string.</summary>
    public const string Nonce = "POLY_NONCE";

    /// <summary>The L2 API key.</summary>
    public const string ApiKey = "POLY_API_KEY";

    /// <summary>The L2 passphrase.</summary>
    public const string Passphrase = "POLY_PASSPHRASE";
}
