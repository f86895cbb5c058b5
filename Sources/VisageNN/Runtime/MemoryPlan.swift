/// Offsets of every run-time value inside one float arena, reusing space once a value is dead.
///
/// Values are placed greedily in execution order, first fit, each aligned to 16 floats (64 bytes).
/// A node's outputs and scratch are placed before its dead inputs are released, so outputs never
/// overlap inputs. Graph inputs live from the start, graph outputs to the end.
struct MemoryPlan {
    /// Offset (in floats) of each value in the arena.
    private(set) var offsets: [String: Int] = [:]
    /// Offset of each step's scratch space (nil when the step needs none).
    private(set) var scratchOffsets: [Int?] = []
    /// Floats the arena must hold.
    private(set) var arenaCount = 0

    private var free: [(start: Int, count: Int)] = []

    private static func aligned(_ n: Int) -> Int { max(16, (n + 15) / 16 * 16) }

    private mutating func allocate(_ count: Int) -> Int {
        let size = Self.aligned(count)
        if let i = free.firstIndex(where: { $0.count >= size }) {
            let block = free[i]
            if block.count == size { free.remove(at: i) } else { free[i] = (block.start + size, block.count - size) }
            return block.start
        }
        // Grow: extend a trailing free block if there is one, else append.
        if let last = free.last, last.start + last.count == arenaCount {
            free.removeLast()
            arenaCount = last.start + size
            return last.start
        }
        let start = arenaCount
        arenaCount += size
        return start
    }

    private mutating func release(_ start: Int, _ count: Int) {
        free.append((start, Self.aligned(count)))
        free.sort { $0.start < $1.start }
        var merged: [(start: Int, count: Int)] = []
        for b in free {
            if let last = merged.last, last.start + last.count == b.start {
                merged[merged.count - 1].count += b.count
            } else {
                merged.append(b)
            }
        }
        free = merged
    }

    /// One planned step: the values it reads, the values it writes (with sizes), its scratch size.
    struct Step {
        var reads: [String]
        var writes: [(name: String, count: Int)]
        var scratch: Int
    }

    /// Plans `steps` with `inputs` (name, float count) live from the start and `keep` live to the end.
    /// Within each of `segments` (step ranges run band by band, see `BandPlan`) every value read or
    /// written, and every step's scratch, stays live until the segment's last step.
    init(inputs: [(name: String, count: Int)], steps: [Step], keep: Set<String>, segments: [Range<Int>] = []) {
        var lastUse: [String: Int] = [:]
        for (i, s) in steps.enumerated() {
            for r in s.reads { lastUse[r] = i }
            for w in s.writes where lastUse[w.name] == nil { lastUse[w.name] = i }
        }
        var segmentEnd = Array(steps.indices)
        for seg in segments where !seg.isEmpty {
            let last = seg.upperBound - 1
            for i in seg {
                segmentEnd[i] = last
                for name in steps[i].reads + steps[i].writes.map(\.name) { lastUse[name] = max(lastUse[name] ?? last, last) }
            }
        }
        var releaseAt = [[String]](repeating: [], count: steps.count)
        for (name, i) in lastUse { releaseAt[i].append(name) }
        var sizes: [String: Int] = [:]
        for input in inputs {
            offsets[input.name] = allocate(input.count)
            sizes[input.name] = input.count
        }
        var pendingScratch: [(start: Int, count: Int)] = []
        for (i, s) in steps.enumerated() {
            for w in s.writes {
                offsets[w.name] = allocate(w.count)
                sizes[w.name] = w.count
            }
            var scratchStart: Int?
            if s.scratch > 0 { scratchStart = allocate(s.scratch) }
            scratchOffsets.append(scratchStart)
            if let start = scratchStart { pendingScratch.append((start, s.scratch)) }
            if segmentEnd[i] == i {
                for p in pendingScratch { release(p.start, p.count) }
                pendingScratch = []
            }
            // Release values whose last use is this step (or that nobody reads), unless kept.
            for name in releaseAt[i].sorted() where !keep.contains(name) {
                if let start = offsets[name], let count = sizes[name] { release(start, count) }
            }
        }
    }
}
