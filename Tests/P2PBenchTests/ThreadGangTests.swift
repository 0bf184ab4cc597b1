import Synchronization
import Testing

@testable import P2PBench

@Suite struct ThreadGangTests {
    @Test func everyThreadRunsAndResultsComeBackInOrder() {
        let (results, _) = ThreadGang.run(8) { index, gate in
            gate.wait()
            return index * index
        }
        #expect(results == [0, 1, 4, 9, 16, 25, 36, 49])
    }

    @Test func aThreadThatNeverReachesTheGateDoesNotHoldTheOthers() {
        let (results, _) = ThreadGang.run(3) { index, gate in
            if index == 1 { return -1 }
            gate.wait()
            return index
        }
        #expect(results == [0, -1, 2])
    }

    @Test func noThreadStartsItsWorkBeforeAllHaveArrived() {
        let arrived = Atomic<Int>(0)
        let (results, _) = ThreadGang.run(4) { _, gate in
            arrived.add(1, ordering: .sequentiallyConsistent)
            gate.wait()
            return arrived.load(ordering: .sequentiallyConsistent)
        }
        #expect(results == [4, 4, 4, 4])
    }
}
