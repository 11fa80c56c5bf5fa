namespace PolymarketAlgo.Executor.Secrets;

/// <summary>Why a private key could not be parsed.</summary>
public enum InvalidPrivateKeyReason
{
    /// <summary>The text was null, empty or only whitespace.</summary>
    Empty = 0,

    /// <summary>The text did not hold exactly 64 hex digits (after an optional <c>0x</c>).</summary>
    WrongLength = 1,

    /// <summary>The text held a character that is not a hex digit.</summary>
    NotHex = 2,

    /// <summary>The number was zero or not below the secp256k1 group order.</summary>
    OutOfRange = 3,
}

/// <summary>
/// Thrown when text is not a valid secp256k1 private key. The message says what is wrong but never
/// repeats the text itself.
/// </summary>
public sealed class InvalidPrivateKeyException : FormatException
{
    /// <summary>Creates the exception for a reason.</summary>
    /// <param name="reason">What was wrong with the key text.</param>
    public InvalidPrivateKeyException(InvalidPrivateKeyReason reason)
        : base(Describe(reason)) => Reason = reason;

    /// <summary>What was wrong with the key text.</summary>
    public InvalidPrivateKeyReason Reason { get; }

    private static string Describe(InvalidPrivateKeyReason reason) => reason switch
    {
        InvalidPrivateKeyReason.Empty => "The private key is empty.",
        InvalidPrivateKeyReason.WrongLength => "The private key must be 64 hex digits (32 bytes), with or without a 0x prefix.",
        InvalidPrivateKeyReason.NotHex => "The private key contains a character that is not a hex digit.",
        InvalidPrivateKeyReason.OutOfRange => "The private key is zero or not below the secp256k1 group order.",
        _ => "The private key is invalid.",
    };
}
