namespace PolymarketAlgo.Core

open System
open System.Collections.Generic

/// Reading strategy parameters with defaults.
[<RequireQualifiedAccess>]
module internal Parameter =

    /// The value of `key` in `parameters` (which may be null), else its default.
    let read
        (defaults: IReadOnlyDictionary<string, float>)
        (parameters: IReadOnlyDictionary<string, float>)
        (key: string)
        : float =
        if isNull parameters then
            defaults[key]
        else
            match parameters.TryGetValue key with
            | true, value -> value
            | _ -> defaults[key]

/// The streak reversal strategy of the original toolkit (seed-toolkit §3.1): after `trigger` or more bars in a
/// row moving the same way (close to close), bet that the next bar reverses.
[<RequireQualifiedAccess>]
module StreakReversal =

    /// Registry name.
    [<Literal>]
    let Name = "streak-reversal"

    /// One-line description (the original's).
    [<Literal>]
    let Description = "Reversal on directional candle streak"

    /// Default trigger (streak length that fires).
    [<Literal>]
    let DefaultTrigger = 4

    /// Default size in shares.
    [<Literal>]
    let DefaultSize = 15.0

    /// The per-bar direction: +1 when close[t] − close[t−1] > 0, else −1 (row 0, a flat bar and NaN are −1).
    let directions (close: float[]) : int[] =
        Array.init close.Length (fun t -> if t > 0 && close[t] - close[t - 1] > 0.0 then 1 else -1)

    /// The 1-based position of each bar inside its run of equal directions.
    let streaks (close: float[]) : int[] =
        let direction = directions close
        let streak = Array.zeroCreate close.Length

        for t in 0 .. close.Length - 1 do
            streak[t] <-
                if t > 0 && direction[t] = direction[t - 1] then
                    streak[t - 1] + 1
                else
                    1

        streak

    /// Writes the signals into `destination`: −1 on every bar of an up-run once the streak reaches `trigger`,
    /// +1 on a down-run, else 0; size `size` on signal bars, 0 elsewhere. No allocation.
    let evaluateInto (trigger: int) (size: float) (close: float[]) (destination: Signals) : unit =
        let signal = destination.Signal
        let output = destination.Size

        if signal.Length <> close.Length || output.Length <> close.Length then
            invalidArg (nameof destination) "The destination must have one entry per candle."

        let choices = [| 0.0; size |]
        let mutable previous = 0
        let mutable streak = 0

        for t in 0 .. close.Length - 1 do
            // Branch-free: direction ±1, the streak restarts at 1 on a change, the signal fades a long enough run.
            let direction = 2 * Branchless.flag (t > 0 && close[t] - close[t - 1] > 0.0) - 1
            streak <- streak * Branchless.flag (direction = previous) + 1
            previous <- direction
            let fires = Branchless.flag (streak >= trigger)
            signal[t] <- -direction * fires
            output[t] <- choices[fires]

    /// The strategy's signals for `close` with the given trigger and size.
    let evaluate (trigger: int) (size: float) (close: float[]) : Signals =
        let signals = Signals.Create close.Length
        evaluateInto trigger size close signals
        signals

    /// The registry strategy: parameters trigger (int() truncated, default 4) and size (default 15.0);
    /// grid trigger [3, 4, 5] × size [10, 15, 20]. Unknown parameters are ignored, like the original.
    let strategy: IStrategy =
        let defaults: IReadOnlyDictionary<string, float> =
            Dictionary<string, float>(dict [ "trigger", float DefaultTrigger; "size", DefaultSize ]) :> _

        let grid: IReadOnlyList<ParameterRange> =
            [|
                {
                    Name = "trigger"
                    Values = [| 3.0; 4.0; 5.0 |]
                }
                {
                    Name = "size"
                    Values = [| 10.0; 15.0; 20.0 |]
                }
            |]
            :> _

        { new IStrategy with
            member _.Name = Name
            member _.Description = Description
            member _.Timeframe = "5m"
            member _.DefaultParameters = defaults
            member _.ParameterGrid = grid

            member _.Evaluate(input, parameters, destination) =
                let read = Parameter.read defaults parameters
                evaluateInto (int (read "trigger")) (read "size") input.Candles.Close destination
        }

    /// A resolved 5-minute market outcome, as the legacy live bot reads them.
    type Outcome =
        | Up
        | Down

    /// The legacy live bot's decision (`src/strategies/streak.py`).
    type LegacySignal =
        {
            ShouldBet: bool
            /// The side to bet (the opposite of the streak); None when not betting.
            Direction: Outcome option
            StreakLength: int
            /// The direction of the trailing streak; None for no outcomes.
            StreakDirection: Outcome option
            /// The historical reversal rate used as confidence; 0 when not betting.
            Confidence: float
            Reason: string
        }

    /// The legacy reversal rates by streak length ("570-market, 2-day backtest"); longer streaks use 5's.
    let reversalRates: Map<int, float> =
        Map.ofList [ 2, 0.540; 3, 0.579; 4, 0.667; 5, 0.824 ]

    /// The length and direction of the trailing run of equal outcomes (oldest first); (0, None) when empty.
    let detectStreak (outcomes: Outcome list) : int * Outcome option =
        match List.rev outcomes with
        | [] -> 0, None
        | last :: _ as reversed -> reversed |> List.takeWhile ((=) last) |> List.length, Some last

    let private word (outcome: Outcome) =
        match outcome with
        | Up -> "up"
        | Down -> "down"

    let private opposite (outcome: Outcome) =
        match outcome with
        | Up -> Down
        | Down -> Up

    /// The legacy live decision: bet against a trailing streak of at least `trigger` outcomes, with confidence
    /// reversalRates[min(length, 5)]. Raises when `trigger` < 2 (the rate table starts at 2).
    let legacyEvaluate (trigger: int) (outcomes: Outcome list) : LegacySignal =
        if trigger < 2 then
            invalidArg (nameof trigger) $"The trigger must be at least 2 (got {trigger})."

        let length, direction = detectStreak outcomes

        match direction with
        | Some streakDirection when length >= trigger ->
            let rate = reversalRates[min length 5]
            let bet = opposite streakDirection

            {
                ShouldBet = true
                Direction = Some bet
                StreakLength = length
                StreakDirection = direction
                Confidence = rate
                Reason =
                    String.Format(
                        Globalization.CultureInfo.InvariantCulture,
                        "Streak of {0}x {1} detected. Historical reversal rate: {2:0.0}%. Betting {3}.",
                        length,
                        word streakDirection,
                        rate * 100.0,
                        word bet
                    )
            }
        | _ ->
            {
                ShouldBet = false
                Direction = None
                StreakLength = length
                StreakDirection = direction
                Confidence = 0.0
                Reason = $"Streak {length} < trigger {trigger}"
            }
