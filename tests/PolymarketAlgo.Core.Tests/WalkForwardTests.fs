module PolymarketAlgo.Core.Tests.WalkForwardTests

open Expecto
open FsCheck
open PolymarketAlgo.Core
open PolymarketAlgo.Core.Tests.TestHelpers

let private laws (length: int) (windows: WalkForwardWindow[]) =
    windows
    |> Array.forall (fun w ->
        w.TrainStart >= 0
        && w.TrainStart < w.TrainEnd
        && w.TrainEnd = w.TestStart
        && w.TestStart < w.TestEnd
        && w.TestEnd <= length)

[<Tests>]
let tests =
    testList
        "WalkForward"
        [ testCase "the single split of 9051 bars is 6788 / 2263 like the original"
          <| fun () ->
              let w = WalkForward.single 9051 0.75
              Expect.equal (w.TrainEnd - w.TrainStart, w.TestEnd - w.TestStart) (6788, 2263) "sizes"

          testProp "rolling windows keep train before test, inside the history, with a fixed train size"
          <| fun (length: PositiveInt) (train: PositiveInt) (test: PositiveInt) (step: PositiveInt) ->
              let length = length.Get % 2000
              let windows = WalkForward.rolling length train.Get test.Get step.Get

              laws length windows
              && windows |> Array.forall (fun w -> w.TrainEnd - w.TrainStart = train.Get)
              && windows |> Array.pairwise |> Array.forall (fun (a, b) -> b.TrainStart - a.TrainStart = step.Get)

          testProp "anchored windows all start at bar 0 and grow by the step"
          <| fun (length: PositiveInt) (train: PositiveInt) (test: PositiveInt) (step: PositiveInt) ->
              let length = length.Get % 2000
              let windows = WalkForward.anchored length train.Get test.Get step.Get

              laws length windows
              && windows |> Array.forall (fun w -> w.TrainStart = 0)
              && windows |> Array.pairwise |> Array.forall (fun (a, b) -> b.TrainEnd - a.TrainEnd = step.Get)

          testProp "test windows of non-overlapping rolling steps never overlap"
          <| fun (length: PositiveInt) (train: PositiveInt) (test: PositiveInt) ->
              let length = length.Get % 3000
              let windows = WalkForward.rolling length train.Get test.Get test.Get
              windows |> Array.pairwise |> Array.forall (fun (a, b) -> a.TestEnd <= b.TestStart)

          testCase "rolling windows of a small history are laid out exactly"
          <| fun () ->
              let windows = WalkForward.rolling 10 4 2 2

              Expect.equal
                  (windows |> Array.map (fun w -> w.TrainStart, w.TrainEnd, w.TestEnd))
                  [| 0, 4, 6; 2, 6, 8; 4, 8, 10 |]
                  "windows"

          testCase "a window size below one bar is misuse"
          <| fun () ->
              Expect.throwsT<System.ArgumentException> (fun () -> WalkForward.rolling 10 0 2 2 |> ignore) "train 0" ]
